using System.Globalization;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Config.Model;

namespace Lb.Actors.Stats;

/// <summary>
/// Builds the 'show stat' rows of a proxy from the live counters, with haproxy 2.6's rules for
/// which cells an object fills (e.g. no hrsp_* outside mode http, no check columns on a server
/// without 'check').
/// </summary>
public static partial class StatRows
{
    /// <summary>Every row of the node, proxy by proxy in config order.</summary>
    public static IEnumerable<StatRow> All(NodeStats node)
    {
        foreach (var p in node.Proxies)
            foreach (var row in Of(node, p))
                yield return row;
    }

    /// <summary>FRONTEND, then each server, then BACKEND, for what the proxy is.</summary>
    public static IEnumerable<StatRow> Of(NodeStats node, ProxyStats p)
    {
        long now = Environment.TickCount64;
        if (p.Config.IsFrontend)
        {
            yield return Frontend(node, p);
            if (p.Config.HasOption("socket-stats") && p.Frontend is { } fe)
                foreach (var l in fe.Listeners) yield return Listener(p, l);
        }
        if (p.Backend is { } b)
        {
            var snap = b.Snapshot;
            foreach (var s in snap.All) yield return Server(p, snap, s, now);
            yield return Backend(node, p, b, now);
        }
    }

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static void Hrsp(StatRow r, TrafficCounters c)
    {
        r["hrsp_1xx"] = N(c[Counter.Hrsp1xx]);
        r["hrsp_2xx"] = N(c[Counter.Hrsp2xx]);
        r["hrsp_3xx"] = N(c[Counter.Hrsp3xx]);
        r["hrsp_4xx"] = N(c[Counter.Hrsp4xx]);
        r["hrsp_5xx"] = N(c[Counter.Hrsp5xx]);
        r["hrsp_other"] = N(c[Counter.HrspOther]);
    }

    private static void Modules(StatRow r, bool withProtocols)
    {
        for (int i = StatFields.Separator + 1; i < StatFields.All.Length; i++)
        {
            var name = StatFields.All[i].Name;
            if (name.StartsWith("ssl_", StringComparison.Ordinal) || withProtocols) r.Values[i] = "0";
        }
    }

    public static long FullConn(NodeStats node, ProxyStats p)
    {
        if (p.Config.FullConn is { } f && f > 0) return f;
        long sum = 0;
        int global = node.GlobalLimit?.Max ?? node.Config?.Global.MaxConn ?? 0;
        foreach (var fe in node.Proxies)
        {
            if (!fe.Config.IsFrontend) continue;
            bool uses = fe.Config.DefaultBackend == p.Name || fe.Config.UseBackends.Any(u => u.Backend == p.Name)
                || ReferenceEquals(fe, p) && fe.Config.DefaultBackend is null;
            if (!uses) continue;
            sum += fe.Config.MaxConn ?? (global > 0 ? global : 0);
        }
        return Math.Max(1, (sum + 9) / 10); // haproxy: at least 1, also for a backend no frontend uses
    }

    public static string ModeName(ProxyMode m) => m switch
    {
        ProxyMode.Http => "http",
        ProxyMode.Tcp => "tcp",
        _ => m.ToString().ToLowerInvariant(),
    };

    public static string AlgoName(Balance b) => b.Algorithm switch
    {
        BalanceAlgorithm.RoundRobin => "roundrobin",
        BalanceAlgorithm.StaticRr => "static-rr",
        BalanceAlgorithm.LeastConn => "leastconn",
        BalanceAlgorithm.First => "first",
        BalanceAlgorithm.Source => "source",
        BalanceAlgorithm.Uri => "uri",
        BalanceAlgorithm.UrlParam => "url_param",
        BalanceAlgorithm.Random => "random",
        BalanceAlgorithm.Header => "hdr",
        BalanceAlgorithm.RdpCookie => "rdp-cookie",
        BalanceAlgorithm.Hash => "hash",
        _ => b.Algorithm.ToString().ToLowerInvariant(),
    };

    private static readonly TrafficCounters Empty = new();
}
