using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Values;

namespace Lb.Config.Model;

public enum ObserveMode { None, Layer4, Layer7 }
public enum OnErrorAction { FastInter, FailCheck, SuddenDeath, MarkDown }

/// <summary>
/// A 'server' line (or the 'default-server' template it started from). Defaults are HAProxy's:
/// inter 2s, rise 2, fall 3, weight 1, error-limit 10, on-error fail-check.
/// </summary>
public sealed record Server
{
    public string Name { get; init; } = "";
    public Endpoint? Address { get; init; }
    public SourceLocation Location { get; init; }
    public int? Id { get; init; }

    public bool Check { get; init; }
    public TimeSpan Inter { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan? FastInter { get; init; }
    public TimeSpan? DownInter { get; init; }
    public int Rise { get; init; } = 2;
    public int Fall { get; init; } = 3;
    public int? CheckPort { get; init; }
    public string? CheckAddr { get; init; }
    public bool CheckSendProxy { get; init; }
    public bool SendProxy { get; init; }

    public int Weight { get; init; } = 1;
    public bool Backup { get; init; }
    public bool Disabled { get; init; }
    public int MaxConn { get; init; }
    public int MinConn { get; init; }
    public int MaxQueue { get; init; }
    public string? Cookie { get; init; }
    public TimeSpan? SlowStart { get; init; }

    public ObserveMode Observe { get; init; }
    public int ErrorLimit { get; init; } = 10;
    public OnErrorAction OnError { get; init; } = OnErrorAction.FailCheck;
    public bool OnMarkedDownShutdownSessions { get; init; }
    public bool OnMarkedUpShutdownBackupSessions { get; init; }

    /// <summary>'source ADDR[:PORT[-PORT]]': local address (and port range) for server connections.</summary>
    public string? Source { get; init; }

    /// <summary>Known server keywords that the model does not break out (ssl, agent-check, resolvers, ...).</summary>
    public ImmutableDictionary<string, string> OtherOptions { get; init; } = ImmutableDictionary<string, string>.Empty;
}
