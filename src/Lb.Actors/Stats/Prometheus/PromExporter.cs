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

    /// <summary>What a metric needs besides a plain cell.</summary>
    private enum Kind { Cell, Status, Responses, AggServers, AggChecks, CheckStatus, CheckCode, CheckDuration }

    private static Kind KindOf(ProxyMetric m) => m.Field switch
    {
        "status" => Kind.Status,
        "hrsp_1xx" => Kind.Responses,
        "agg_server_status" or "agg_server_check_status" => Kind.AggServers,
        "agg_check_status" => Kind.AggChecks,
        "check_status" => Kind.CheckStatus,
        "check_code" => Kind.CheckCode,
        "check_duration" => Kind.CheckDuration,
        _ => Kind.Cell,
    };

    private static (ProxyMetric Metric, PromSeries Series, Kind Kind)[] SeriesOf(PromObjects o, string prefix) =>
        PromMetrics.Proxy.Where(m => (m.Objects & o) != 0).Select(m => (m, new PromSeries(prefix + m.Name, m.Type, m.Help), KindOf(m))).ToArray();

    private static readonly (ProxyMetric Metric, PromSeries Series, Kind Kind)[] Frontend = SeriesOf(PromObjects.F, "haproxy_frontend_");
    private static readonly (ProxyMetric Metric, PromSeries Series, Kind Kind)[] Listener = SeriesOf(PromObjects.L, "haproxy_listener_");
    private static readonly (ProxyMetric Metric, PromSeries Series, Kind Kind)[] Backend = SeriesOf(PromObjects.B, "haproxy_backend_");
    private static readonly (ProxyMetric Metric, PromSeries Series, Kind Kind)[] Server = SeriesOf(PromObjects.S, "haproxy_server_");

    private static readonly PromSeries[] StickTable =
        PromMetrics.StickTable.Select(m => new PromSeries("haproxy_sticktable_" + m.Name, PromType.Gauge, m.Help)).ToArray();

    private static readonly byte[][] ProxyStates = PromWriter.Fragments("state", PromMetrics.ProxyStates);
    private static readonly byte[][] ListenerStates = PromWriter.Fragments("state", PromMetrics.ListenerStates);
    private static readonly byte[][] ServerStates = PromWriter.Fragments("state", PromMetrics.ServerStates);
    private static readonly byte[][] CheckStates = PromWriter.Fragments("state", PromMetrics.CheckStates);
    private static readonly byte[][] Codes = PromWriter.Fragments("code", PromMetrics.ResponseCodes);
    private static readonly byte[] BuildLabels = PromWriter.Labels(("version", ProcessInfo.Version));

    private static readonly int Hrsp1xx = StatFields.IndexOf("hrsp_1xx");
    private static readonly int StatusIndex = StatFields.IndexOf("status");
    private static readonly int WeightIndex = StatFields.IndexOf("weight");
    private static readonly int ScurIndex = StatFields.IndexOf("scur");
    private static readonly int SlimIndex = StatFields.IndexOf("slim");

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
                w.Start(s, BuildLabels);
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
        foreach (var (m, s, kind) in Frontend)
        {
            if (kind == Kind.Responses)
            {
                for (int code = 0; code < Codes.Length; code++)
                    foreach (var r in rows)
                        if (r.Http) Sample(w, s, r.Labels, Codes[code], r.Stat.Values[Hrsp1xx + code]);
                continue;
            }
            foreach (var r in rows)
            {
                if (m.HttpOnly && !r.Http) continue;
                if (kind == Kind.Status) States(w, s, r.Labels, ProxyStates, r.Stat.Values[StatusIndex] == "STOP" ? 0 : 1);
                else Sample(w, s, r.Labels, null, r.Stat.Values[m.FieldIndex], m.InSeconds);
            }
        }
    }

    private static void WriteListeners(PromWriter w, List<ScrapeRows.Row> rows)
    {
        foreach (var (m, s, kind) in Listener)
            foreach (var r in rows)
            {
                if (kind != Kind.Status) { Sample(w, s, r.Labels, null, r.Stat.Values[m.FieldIndex], m.InSeconds); continue; }
                // haproxy: FULL once the listener's maxconn is reached, WAITING while limited (Lb has no such state), else OPEN.
                bool full = long.TryParse(r.Stat.Values[SlimIndex], out long lim) && lim > 0
                    && long.TryParse(r.Stat.Values[ScurIndex], out long cur) && cur >= lim;
                States(w, s, r.Labels, ListenerStates, full ? 2 : 1);
            }
    }

    private static void WriteBackends(PromWriter w, List<ScrapeRows.BackendRow> rows)
    {
        Span<int> counts = stackalloc int[PromMetrics.CheckStates.Length];
        foreach (var (m, s, kind) in Backend)
        {
            if (kind == Kind.Responses)
            {
                for (int code = 0; code < Codes.Length; code++)
                    foreach (var r in rows)
                        if (r.Http) Sample(w, s, r.Labels, Codes[code], r.Stat.Values[Hrsp1xx + code]);
                continue;
            }
            foreach (var r in rows)
            {
                if (m.HttpOnly && !r.Http) continue;
                var servers = r.Snapshot.All;
                switch (kind)
                {
                    case Kind.Status:
                        // UP while the backend has weight to balance on, or no server at all.
                        States(w, s, r.Labels, ProxyStates, r.Stat.Values[WeightIndex] != "0" || servers.IsEmpty ? 1 : 0);
                        break;
                    case Kind.AggServers when !servers.IsEmpty:
                        counts.Clear();
                        foreach (var sv in servers) counts[ServerState(sv)]++;
                        Counts(w, s, r.Labels, ServerStates, counts);
                        break;
                    case Kind.AggChecks when !servers.IsEmpty:
                        counts.Clear();
                        foreach (var sv in servers)
                            if (sv.Health is { Checked: true, LastCheck: { } c } && CheckState(c) is int i and >= 0) counts[i]++;
                        Counts(w, s, r.Labels, CheckStates, counts);
                        break;
                    case Kind.Cell:
                        Sample(w, s, r.Labels, null, r.Stat.Values[m.FieldIndex], m.InSeconds);
                        break;
                }
            }
        }
    }

    private static void WriteServers(PromWriter w, List<ScrapeRows.ServerRow> rows, bool noMaint)
    {
        foreach (var (m, s, kind) in Server)
        {
            if (kind == Kind.Responses)
            {
                for (int code = 0; code < Codes.Length; code++)
                    foreach (var r in rows)
                        if (r.Http && !(noMaint && IsMaint(r.Server))) Sample(w, s, r.Labels, Codes[code], r.Stat.Values[Hrsp1xx + code]);
                continue;
            }
            foreach (var r in rows)
            {
                var sv = r.Server;
                if (noMaint && IsMaint(sv)) continue;
                if (m.HttpOnly && !r.Http) continue;
                var h = sv.Health;
                switch (kind)
                {
                    case Kind.Status:
                        States(w, s, r.Labels, ServerStates, ServerState(sv));
                        break;
                    case Kind.CheckStatus when CheckRunning(sv):
                        States(w, s, r.Labels, CheckStates, h.LastCheck is { } c ? CheckState(c) : -1);
                        break;
                    case Kind.CheckCode when CheckRunning(sv):
                        w.Start(s, r.Labels);
                        w.Value();
                        w.Number(h.LastCheck is { } lc && CheckStatusText.HasCode(lc) ? h.LastCode ?? 0 : 0);
                        break;
                    case Kind.CheckDuration when h.Checked && h.LastCheck is not (null or CheckStatus.Ini):
                        // haproxy prints it once a check has finished, whether checks still run or not.
                        w.Start(s, r.Labels);
                        w.Value();
                        w.Text.Seconds(h.LastDurationMs ?? 0);
                        w.End();
                        break;
                    case Kind.Cell:
                        Sample(w, s, r.Labels, null, r.Stat.Values[m.FieldIndex], m.InSeconds);
                        break;
                }
            }
        }
    }

    private static void WriteStickTables(PromWriter w, NodeStats node)
    {
        // haproxy keeps its tables in a list where each new one goes first: the last declared comes first.
        var tables = new List<(byte[] Labels, Persistence.IStickTable Table)>();
        for (int i = node.Proxies.Length - 1; i >= 0; i--)
        {
            var p = node.Proxies[i];
            if (node.Backends.StickTables.Find(p.Name) is { Definition.Size: > 0 } t)
                tables.Add((PromWriter.Labels(("name", p.Name), ("type", t.Definition.TypeName)), t));
        }
        for (int k = 0; k < StickTable.Length; k++)
            foreach (var (labels, t) in tables)
            {
                w.Start(StickTable[k], labels);
                w.Value();
                w.Number(k == 0 ? t.Definition.Size : t.Count);
            }
    }

    private static void Sample(PromWriter w, PromSeries s, byte[] labels, byte[]? extra, string? cell, bool inSeconds = false)
    {
        w.Start(s, labels);
        if (extra != null) w.Append(extra);
        w.Value();
        w.Cell(cell, inSeconds);
    }

    /// <summary>One sample per state, 1 for the current one.</summary>
    private static void States(PromWriter w, PromSeries s, byte[] labels, byte[][] states, int current)
    {
        for (int i = 0; i < states.Length; i++)
        {
            w.Start(s, labels);
            w.Append(states[i]);
            w.Value();
            w.Number(i == current ? 1 : 0);
        }
    }

    private static void Counts(PromWriter w, PromSeries s, byte[] labels, byte[][] states, ReadOnlySpan<int> counts)
    {
        for (int i = 0; i < states.Length; i++)
        {
            w.Start(s, labels);
            w.Append(states[i]);
            w.Value();
            w.Number(counts[i]);
        }
    }

    private static bool IsMaint(ServerRuntime s) => (s.Admin & AdminFlags.Maint) != 0;

    /// <summary>Checks configured and running: not disabled ('disable health') nor paused by maintenance.</summary>
    private static bool CheckRunning(ServerRuntime s) =>
        s.Health.Checked && s.Health.LastCheck is not null && (s.Admin & (AdminFlags.ChecksDisabled | AdminFlags.Maint)) == 0;

    /// <summary>haproxy's server state for the exporter (DOWN, UP, MAINT, DRAIN, NOLB): maintenance first, then the check's view, drain only while up.</summary>
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
