using Lb.Config.Model;

namespace Lb.Actors.Persistence;

/// <summary>
/// A stick table as configured ('stick-table type T [len N] size S [expire E] [nopurge] [store
/// ...]' in the proxy <see cref="Name"/>), in the units the store works with.
/// </summary>
public sealed record StickTableDefinition(
    string Name,
    StickTableType Type,
    int KeySize,
    long Size,
    long? ExpireMs,
    bool NoPurge,
    StickDataLayout Data)
{
    /// <summary>
    /// Entries keep a server (server_id, server_key): 'store server_id', or a stick rule of some
    /// proxy uses the table (haproxy then adds both types to it).
    /// </summary>
    public bool StoresServer { get; init; } = Data.Stored.Contains(StickDataType.ServerId);

    /// <summary>The definition of a proxy's 'stick-table' line; unsupported store types go to <paramref name="unsupported"/>.</summary>
    public static StickTableDefinition From(string proxy, StickTable t, List<string>? unsupported = null) => new(
        proxy,
        t.Type,
        t.Type switch
        {
            StickTableType.Ip or StickTableType.Integer => 4,
            StickTableType.Ipv6 => 16,
            _ => t.KeyLength,
        },
        t.Size,
        t.Expire is { } e && e > TimeSpan.Zero ? (long)e.TotalMilliseconds : null,
        t.NoPurge,
        StickDataLayout.Parse(t.Store, unsupported));

    /// <summary>HAProxy's name of the key type, as 'show table' prints it.</summary>
    public string TypeName => Type switch
    {
        StickTableType.Ip => "ip",
        StickTableType.Ipv6 => "ipv6",
        StickTableType.Integer => "integer",
        StickTableType.String => "string",
        _ => "binary",
    };
}
