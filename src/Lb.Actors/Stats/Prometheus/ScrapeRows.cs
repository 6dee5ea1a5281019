using Lb.Actors.Backends;
using Lb.Config.Model;

namespace Lb.Actors.Stats.Prometheus;

/// <summary>
/// The 'show stat' rows one scrape reads, built once (<see cref="StatRows"/>: the same cells
/// 'show stat' prints, one source of truth) and sorted by object kind, each list in config order.
/// Disabled proxies are left out, as haproxy's exporter does.
/// </summary>
internal sealed class ScrapeRows
{
    public readonly record struct Row(ProxyStats Proxy, StatRow Stat, bool Http);

    public readonly record struct BackendRow(ProxyStats Proxy, StatRow Stat, bool Http, BackendSnapshot Snapshot);

    public readonly record struct ServerRow(ProxyStats Proxy, StatRow Stat, bool Http, ServerRuntime Server);

    public List<Row> Frontends { get; } = new();
    public List<Row> Listeners { get; } = new();
    public List<BackendRow> Backends { get; } = new();
    public List<ServerRow> Servers { get; } = new();

    public static ScrapeRows Read(NodeStats node, PromScope scopes)
    {
        var rows = new ScrapeRows();
        const PromScope wanted = PromScope.Frontend | PromScope.Listener | PromScope.Backend | PromScope.Server;
        if ((scopes & wanted) == 0) return rows;
        foreach (var p in node.Proxies)
        {
            if (p.Config.Disabled) continue;
            bool http = p.Config.Mode == ProxyMode.Http;
            var snapshot = p.Backend?.Snapshot;
            foreach (var r in StatRows.Of(node, p))
            {
                switch (r.Type)
                {
                    case StatObject.Frontend: rows.Frontends.Add(new Row(p, r, http)); break;
                    case StatObject.Listener: rows.Listeners.Add(new Row(p, r, http)); break;
                    case StatObject.Backend: rows.Backends.Add(new BackendRow(p, r, http, snapshot!)); break;
                    case StatObject.Server when r.Server is { } s: rows.Servers.Add(new ServerRow(p, r, http, s)); break;
                }
            }
        }
        return rows;
    }
}
