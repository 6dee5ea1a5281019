using System.Globalization;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Config.Model;

namespace Lb.Actors.Stats;

/// <summary>One 'show stat' line: a FRONTEND, a server or a BACKEND, with a value (or null) per column.</summary>
public sealed class StatRow
{
    public StatRow(StatObject type, int proxyId, int serverId)
    {
        Type = type;
        ProxyId = proxyId;
        ServerId = serverId;
        Values = new string?[StatFields.All.Length];
        Values[StatFields.Separator] = "-";
    }

    public StatObject Type { get; }
    public int ProxyId { get; }
    public int ServerId { get; }
    public string?[] Values { get; }

    public string? this[string field]
    {
        get => Values[StatFields.IndexOf(field)];
        set => Values[StatFields.IndexOf(field)] = value;
    }

    /// <summary>The server behind a server row (for the HTML page), else null.</summary>
    public ServerRuntime? Server { get; init; }
}
