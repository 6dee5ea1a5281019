using Lb.Actors.Backends;
using Lb.Actors.Health;

namespace Lb.Actors.Stats.Prometheus;

/// <summary>
/// Writes the node's counters in haproxy 2.6's Prometheus exposition: haproxy_process_* from
/// 'show info', then haproxy_frontend_*, haproxy_listener_*, haproxy_backend_*,
/// haproxy_server_* from the 'show stat' rows (grouped by metric, then by object, in config
/// order), haproxy_sticktable_*, and last Lb's own lb_* metrics (<see cref="LbMetrics"/>).
/// </summary>
public static class PromExporter
{
    private static readonly (ProcessMetric Metric, PromSeries Series, int Info)[] Process =
        PromMetrics.Process.Select(m => (m, new PromSeries("haproxy_process_" + m.Name, m.Type, m.Help),
            m.InfoField is null ? -1 : Array.FindIndex(ProcessInfo.Fields, f => f.Name == m.InfoField))).ToArray();

    private static (ProxyMetric Metric, PromSeries Series)[] SeriesOf(PromObjects o, string prefix) =>
        PromMetrics.Proxy.Where(m => (m.Objects & o) != 0).Select(m => (m, new PromSeries(prefix + m.Name, m.Type, m.Help))).ToArray();

    private static readonly (ProxyMetric Metric, PromSeries Series)[] Frontend = SeriesOf(PromObjects.F, "haproxy_frontend_");
    private static readonly (ProxyMetric Metric, PromSeries Series)[] Listener = SeriesOf(PromObjects.L, "haproxy_listener_");
    private static readonly (ProxyMetric Metric, PromSeries Series)[] Backend = SeriesOf(PromObjects.B, "haproxy_backend_");
    private static readonly (ProxyMetric Metric, PromSeries Series)[] Server = SeriesOf(PromObjects.S, "haproxy_server_");

    private static readonly PromSeries[] StickTable =
        PromMetrics.StickTable.Select(m => new PromSeries("haproxy_sticktable_" + m.Name, PromType.Gauge, m.Help)).ToArray();

    private static readonly int Hrsp1xx = StatFields.IndexOf("hrsp_1xx");

    /// <summary>The whole exposition text for the query.</summary>
    internal static void Write(PromText text, NodeStats node, PromQuery query)
    {
        var w = new PromWriter(text);
        var scopes = query.Scopes;
        if ((scopes & PromScope.Global) != 0) WriteProcess(w, node);
        var rows = ScrapeRows.Read(node, scopes);
        if ((scopes & PromScope.Frontend) != 0) WriteFrontends(w, rows.Frontends);
        if ((scopes & PromScope.Listener) != 0) WriteListeners(w, rows.Listeners);
        if ((scopes & PromScope.Backend) != 0) WriteBackends(w, rows.Backends);
        if ((scopes & PromScope.Server) != 0) WriteServers(w, rows.Servers, query.NoMaint);
        if ((scopes & PromScope.StickTable) != 0) WriteStickTables(w, node);
        if ((scopes & PromScope.Lb) != 0) LbMetrics.Write(w, node);
    }

    private static void WriteProcess(PromWriter w, NodeStats node)
    {
        var values = ProcessInfo.Values(node);
        foreach (var (m, s, info) in Process)
        {
            if (m.InfoField == "Build info")
            {
                // haproxy labels its own version; Lb gives its version ('show info' says "Lb <version>" too).
                w.Start(s, "version"u8, ProcessInfo.Version);
                w.Value();
                w.Number(1);
                continue;
            }
            w.StartBare(s);
            w.Cell(info < 0 ? null : values[info]);
        }
    }

    private static void WriteFrontends(PromWriter w, List<ScrapeRows.Row> rows)
    {
        foreach (var (m, s) in Frontend)
        {
            if (m.FieldIndex == Hrsp1xx) { ResponseCodes(w, s, rows, static r => (r.Proxy.Name, null, r.Stat, r.Http)); continue; }
            foreach (var r in rows)
            {
                if (m.HttpOnly && !r.Http) continue;
                w.Start(s, "proxy"u8, r.Proxy.Name);
                if (m.Field == "status")
                {
                    int up = r.Stat["status"] == "STOP" ? 0 : 1;
                    States(w, s, r.Proxy.Name, null, null, PromMetrics.ProxyStates, up);
                    continue;
                }
                w.Value();
                w.Cell(r.Stat.Values[m.FieldIndex], m.InSeconds);
            }
        }
    }

    private static void WriteListeners(PromWriter w, List<ScrapeRows.Row> rows)
    {
        foreach (var (m, s) in Listener)
            foreach (var r in rows)
            {
                var name = r.Stat["svname"] ?? "";
                w.Start(s, "proxy"u8, r.Proxy.Name);
                if (m.Field == "status")
                {
                    // haproxy: FULL when the listener's maxconn is reached, WAITING when limited, else OPEN.
                    bool full = long.TryParse(r.Stat["slim"], out long lim) && lim > 0 && long.TryParse(r.Stat["scur"], out long cur) && cur >= lim;
                    States(w, s, r.Proxy.Name, "listener"u8, name, PromMetrics.ListenerStates, full ? 2 : 1);
                    continue;
                }
                w.Label("listener"u8, name);
                w.Value();
                w.Cell(r.Stat.Values[m.FieldIndex], m.InSeconds);
            }
    }

    private static void WriteBackends(PromWriter w, List<ScrapeRows.BackendRow> rows)
    {
        Span<int> byState = stackalloc int[PromMetrics.ServerStates.Length];
        Span<int> byCheck = stackalloc int[PromMetrics.CheckStates.Length];
        foreach (var (m, s) in Backend)
        {
            if (m.FieldIndex == Hrsp1xx) { ResponseCodes(w, s, rows, static r => (r.Proxy.Name, null, r.Stat, r.Http)); continue; }
            foreach (var r in rows)
            {
                if (m.HttpOnly && !r.Http) continue;
                var servers = r.Snapshot.All;
                switch (m.Field)
                {
                    case "status":
                        // UP while the backend has weight to balance on, or no server at all.
                        w.Start(s, "proxy"u8, r.Proxy.Name);
                        States(w, s, r.Proxy.Name, null, null, PromMetrics.ProxyStates, r.Stat["weight"] != "0" || servers.IsEmpty ? 1 : 0);
                        continue;
                    case "agg_server_status" or "agg_server_check_status":
                        if (servers.IsEmpty) continue;
                        byState.Clear();
                        foreach (var sv in servers) byState[ServerState(sv)]++;
                        Counts(w, s, r.Proxy.Name, PromMetrics.ServerStates, byState);
                        continue;
                    case "agg_check_status":
                        if (servers.IsEmpty) continue;
                        byCheck.Clear();
                        foreach (var sv in servers)
                            if (sv.Health is { Checked: true, LastCheck: { } c } && CheckState(c) is int i and >= 0) byCheck[i]++;
                        Counts(w, s, r.Proxy.Name, PromMetrics.CheckStates, byCheck);
                        continue;
                }
                w.Start(s, "proxy"u8, r.Proxy.Name);
                w.Value();
                w.Cell(r.Stat.Values[m.FieldIndex], m.InSeconds);
            }
        }
    }

    private static void WriteServers(PromWriter w, List<ScrapeRows.ServerRow> rows, bool noMaint)
    {
        foreach (var (m, s) in Server)
        {
            if (m.FieldIndex == Hrsp1xx)
            {
                ResponseCodes(w, s, rows, r => (r.Proxy.Name, noMaint && IsMaint(r.Server) ? "" : r.Server.Name, r.Stat, r.Http));
                continue;
            }
            foreach (var r in rows)
            {
                var sv = r.Server;
                if (noMaint && IsMaint(sv)) continue;
                if (m.HttpOnly && !r.Http) continue;
                var h = sv.Health;
                switch (m.Field)
                {
                    case "status":
                        w.Start(s, "proxy"u8, r.Proxy.Name);
                        States(w, s, r.Proxy.Name, "server"u8, sv.Name, PromMetrics.ServerStates, ServerState(sv));
                        continue;
                    case "check_status":
                        if (!CheckRunning(sv)) continue;
                        w.Start(s, "proxy"u8, r.Proxy.Name);
                        States(w, s, r.Proxy.Name, "server"u8, sv.Name, PromMetrics.CheckStates, h.LastCheck is { } c ? CheckState(c) : -1);
                        continue;
                    case "check_code":
                        if (!CheckRunning(sv)) continue;
                        w.Start(s, "proxy"u8, r.Proxy.Name);
                        w.Label("server"u8, sv.Name);
                        w.Value();
                        w.Number(h.LastCheck is { } lc && CheckStatusText.HasCode(lc) ? h.LastCode ?? 0 : 0);
                        continue;
                    case "check_duration":
                        // haproxy prints it once a check has finished, whether checks still run or not.
                        if (!h.Checked || h.LastCheck is null or CheckStatus.Ini) continue;
                        w.Start(s, "proxy"u8, r.Proxy.Name);
                        w.Label("server"u8, sv.Name);
                        w.Value();
                        w.Text.Seconds(h.LastDurationMs ?? 0);
                        w.End();
                        continue;
                }
                w.Start(s, "proxy"u8, r.Proxy.Name);
                w.Label("server"u8, sv.Name);
                w.Value();
                w.Cell(r.Stat.Values[m.FieldIndex], m.InSeconds);
            }
        }
    }

    private static void WriteStickTables(PromWriter w, NodeStats node)
    {
        // haproxy keeps its tables in a list where each new one goes first: the last declared comes first.
        for (int k = 0; k < StickTable.Length; k++)
            for (int i = node.Proxies.Length - 1; i >= 0; i--)
            {
                var p = node.Proxies[i];
                if (node.Backends.StickTables.Find(p.Name) is not { } t || t.Definition.Size <= 0) continue;
                w.Start(StickTable[k], "name"u8, p.Name);
                w.Label("type"u8, t.Definition.TypeName);
                w.Value();
                w.Number(k == 0 ? t.Definition.Size : t.Count);
            }
    }

    /// <summary>http_responses_total: for each code in turn, every object (haproxy's order).</summary>
    private static void ResponseCodes<T>(PromWriter w, PromSeries s, List<T> rows, Func<T, (string Proxy, string? Server, StatRow Row, bool Http)> of)
    {
        for (int code = 0; code < PromMetrics.ResponseCodes.Length; code++)
            foreach (var item in rows)
            {
                var (proxy, server, row, http) = of(item);
                if (!http || server == "") continue;
                w.Start(s, "proxy"u8, proxy);
                if (server != null) w.Label("server"u8, server);
                w.Label("code"u8, PromMetrics.ResponseCodes[code]);
                w.Value();
                w.Cell(row.Values[Hrsp1xx + code]);
            }
    }

    /// <summary>One sample per state, 1 for the current one (its labels already started for the first).</summary>
    private static void States(PromWriter w, PromSeries s, string proxy, ReadOnlySpan<byte> objectLabel, string? objectName, string[] states, int current)
    {
        for (int i = 0; i < states.Length; i++)
        {
            if (i > 0) w.Start(s, "proxy"u8, proxy);
            if (objectName != null) w.Label(objectLabel, objectName);
            w.Label("state"u8, states[i]);
            w.Value();
            w.Number(i == current ? 1 : 0);
        }
    }

    private static void Counts(PromWriter w, PromSeries s, string proxy, string[] states, ReadOnlySpan<int> counts)
    {
        for (int i = 0; i < states.Length; i++)
        {
            w.Start(s, "proxy"u8, proxy);
            w.Label("state"u8, states[i]);
            w.Value();
            w.Number(counts[i]);
        }
    }

    private static bool IsMaint(ServerRuntime s) => (s.Admin & AdminFlags.Maint) != 0;

    /// <summary>Checks configured and running: not disabled ('disable health') nor paused by maintenance.</summary>
    private static bool CheckRunning(ServerRuntime s) =>
        s.Health.Checked && s.Health.LastCheck is not null && (s.Admin & (AdminFlags.ChecksDisabled | AdminFlags.Maint)) == 0;

    /// <summary>haproxy's server state for the exporter: MAINT first, then DOWN, NOLB, DRAIN, UP.</summary>
    internal static int ServerState(ServerRuntime s)
    {
        var status = s.Health.Status;
        if (IsMaint(s) || status == "MAINT") return 2;
        if (status.StartsWith("DOWN", StringComparison.Ordinal)) return 0;
        if (status.StartsWith("NOLB", StringComparison.Ordinal)) return 4;
        if ((s.Admin & AdminFlags.Drain) != 0 || status == "DRAIN") return 3;
        return 1;
    }

    private static int CheckState(CheckStatus c) => Array.IndexOf(PromMetrics.CheckStates, CheckStatusText.Code(c));
}
