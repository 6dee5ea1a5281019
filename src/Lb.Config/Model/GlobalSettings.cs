using System.Collections.Immutable;

namespace Lb.Config.Model;

/// <summary>The 'global' section. Process keywords are accepted; Lb always stays in the foreground.</summary>
public sealed record GlobalSettings
{
    public int? MaxConn { get; init; }
    public bool Daemon { get; init; }
    public string? Chroot { get; init; }
    public string? User { get; init; }
    public string? Group { get; init; }
    public int? Uid { get; init; }
    public int? Gid { get; init; }
    public int? NbProc { get; init; }
    public int? NbThread { get; init; }
    public string? PidFile { get; init; }
    public int? UlimitN { get; init; }
    public string? NodeName { get; init; }
    public string? Description { get; init; }
    public string? LogTag { get; init; }
    public ImmutableArray<LogTarget> Logs { get; init; } = ImmutableArray<LogTarget>.Empty;
    public ImmutableArray<StatsSocket> StatsSockets { get; init; } = ImmutableArray<StatsSocket>.Empty;
    public TimeSpan StatsTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int? StatsMaxConn { get; init; }
    public int SpreadChecks { get; init; }
    public ImmutableDictionary<string, string> Tune { get; init; } = ImmutableDictionary<string, string>.Empty;
    public ImmutableArray<Directive> OtherDirectives { get; init; } = ImmutableArray<Directive>.Empty;

    /// <summary>tune.bufsize: the request line and headers must fit (16384 by default).</summary>
    public int BufSize => Tune.TryGetValue("tune.bufsize", out var v) && int.TryParse(v, out var n) ? n : 16384;
}
