using Lb.Config.Model;

namespace Lb.Actors.Admin;

/// <summary>A filter of 'show table' / 'clear table': 'data.NAME OP VALUE' and/or 'key K'.</summary>
public sealed record TableFilter(string? DataName, string? Operator, long Value, string? Key);

/// <summary>One stick table as 'show table' heads it.</summary>
public sealed record StickTableInfo(string Name, string Type, long Size, long Used);

/// <summary>
/// The seam between the runtime API and the stick tables (Persistence/): the stick-table work
/// registers an implementation in <see cref="StickTableAdmin.Current"/>. Entry lines are
/// haproxy's ("0x...: key=127.0.0.1 use=0 exp=29932 conn_cur=0 http_req_rate(10000)=2").
/// </summary>
public interface IStickTableAdmin
{
    IReadOnlyList<StickTableInfo> Tables();
    IReadOnlyList<string> Entries(string table, TableFilter filter);
    void Clear(string table, TableFilter filter);
}

public static class StickTableAdmin
{
    /// <summary>The node's stick-table store; null until stick tables exist (then the configured tables are listed empty).</summary>
    public static IStickTableAdmin? Current { get; set; }

    /// <summary>The tables the config declares, as 'show table' lists them while nothing stores entries.</summary>
    public static IReadOnlyList<StickTableInfo> Declared(Stats.NodeStats node) =>
        node.Proxies.Where(p => p.Config.StickTable != null)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new StickTableInfo(p.Name, TypeName(p.Config.StickTable!), p.Config.StickTable!.Size, 0))
            .ToList();

    public static string TypeName(StickTable t) => t.Type.ToString().ToLowerInvariant() switch
    {
        "ip" or "ipv4" => "ip",
        var other => other,
    };
}
