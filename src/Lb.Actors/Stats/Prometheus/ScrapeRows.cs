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
    /// <summary>A row and its object's labels, encoded once per scrape ({proxy="fe" or {proxy="bk",server="s1").</summary>
    public readonly record struct Row(StatRow Stat, bool Http, byte[] Labels);

    public readonly record struct BackendRow(StatRow Stat, bool Http, byte[] Labels, BackendSnapshot Snapshot);

    public readonly record struct ServerRow(StatRow Stat, bool Http, byte[] Labels, ServerRuntime Server);

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
            byte[]? proxyLabels = null;
            foreach (var r in StatRows.Of(node, p))
            {
                switch (r.Type)
                {
                    case StatObject.Frontend:
                        rows.Frontends.Add(new Row(r, http, proxyLabels ??= PromWriter.Labels(("proxy", p.Name))));
                        break;
                    case StatObject.Listener:
                        rows.Listeners.Add(new Row(r, http, PromWriter.Labels(("proxy", p.Name), ("listener", r["svname"] ?? ""))));
                        break;
                    case StatObject.Backend:
                        rows.Backends.Add(new BackendRow(r, http, proxyLabels ??= PromWriter.Labels(("proxy", p.Name)), snapshot!));
                        break;
                    case StatObject.Server when r.Server is { } s:
                        rows.Servers.Add(new ServerRow(r, http, PromWriter.Labels(("proxy", p.Name), ("server", s.Name)), s));
                        break;
                }
            }
        }
        return rows;
    }
}
