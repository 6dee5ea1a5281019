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

/// <summary>
/// Builds the 'show stat' rows of a proxy from the live counters, with haproxy 2.6's rules for
/// which cells an object fills (e.g. no hrsp_* outside mode http, no check columns on a server
/// without 'check').
/// </summary>
public static class StatRows
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

    private static StatRow Frontend(NodeStats node, ProxyStats p)
    {
        var cfg = p.Config;
        var r = new StatRow(StatObject.Frontend, p.Id, 0);
        var fe = p.Frontend;
        var c = fe?.Counters ?? Empty;
        bool http = cfg.Mode == ProxyMode.Http;
        r["pxname"] = cfg.Name;
        r["svname"] = "FRONTEND";
        r["scur"] = N(fe?.CurrentSessions ?? 0);
        r["smax"] = N(fe?.MaxSessions ?? 0);
        int limit = fe?.MaxConn ?? cfg.MaxConn ?? 0;
        if (limit == 0) limit = node.GlobalLimit?.Max ?? node.Config?.Global.MaxConn ?? 0;
        r["slim"] = limit > 0 ? N(limit) : "";
        r["stot"] = N(fe?.TotalSessions ?? 0);
        r["bin"] = N(c[Counter.BytesIn]);
        r["bout"] = N(c[Counter.BytesOut]);
        r["dreq"] = N(c[Counter.DeniedRequests]);
        r["dresp"] = N(c[Counter.DeniedResponses]);
        r["ereq"] = N(c[Counter.RequestErrors]);
        r["status"] = (fe?.State ?? (cfg.Disabled ? FrontendState.Stopped : FrontendState.Open)) switch
        {
            FrontendState.Open => "OPEN",
            FrontendState.Paused => "PAUSED",
            _ => "STOP",
        };
        r["pid"] = "1";
        r["iid"] = N(p.Id);
        r["sid"] = "0";
        r["type"] = "0";
        r["rate"] = N(c.SessionRate.Rate);
        r["rate_lim"] = N(cfg.RateLimitSessions ?? 0);
        r["rate_max"] = N(c.SessionRate.Max);
        if (http) Hrsp(r, c);
        r["req_rate"] = N(c.RequestRate.Rate);
        r["req_rate_max"] = N(c.RequestRate.Max);
        r["req_tot"] = N(c[Counter.Requests]);
        r["comp_in"] = r["comp_out"] = r["comp_byp"] = r["comp_rsp"] = "0";
        r["mode"] = ModeName(cfg.Mode);
        r["conn_rate"] = N(c.ConnectionRate.Rate);
        r["conn_rate_max"] = N(c.ConnectionRate.Max);
        r["conn_tot"] = N(c[Counter.Connections]);
        if (http) r["intercepted"] = N(c[Counter.Intercepted]);
        r["dcon"] = N(c[Counter.DeniedConnections]);
        r["dses"] = N(c[Counter.DeniedSessions]);
        r["wrew"] = N(c[Counter.FailedRewrites]);
        if (http) r["cache_lookups"] = r["cache_hits"] = "0";
        r["eint"] = N(c[Counter.InternalErrors]);
        Modules(r, withProtocols: true);
        if (http && fe != null)
        {
            r["h1_open_connections"] = N(fe.CurrentSessions);
            r["h1_total_connections"] = N(c[Counter.H1Connections]);
            r["h1_total_streams"] = N(c[Counter.H1Streams]);
            r["h1_bytes_in"] = N(c[Counter.H1BytesIn]);
            r["h1_bytes_out"] = N(c[Counter.H1BytesOut]);
        }
        return r;
    }

    /// <summary>A listener row ('option socket-stats'): type 3, its sessions, bytes and address.</summary>
    private static StatRow Listener(ProxyStats p, ListenerStats l)
    {
        var r = new StatRow(StatObject.Listener, p.Id, l.Id);
        r["pxname"] = p.Name;
        r["svname"] = l.Name;
        r["scur"] = N(l.Sessions.Current);
        r["smax"] = N(l.Sessions.Max);
        r["slim"] = N(l.MaxConn);
        r["stot"] = N(l.Sessions.Total);
        r["bin"] = N(l.BytesIn);
        r["bout"] = N(l.BytesOut);
        r["dreq"] = r["dresp"] = "0";
        r["ereq"] = N(l.RequestErrors);
        r["status"] = p.Frontend?.State == FrontendState.Open ? "OPEN" : p.Frontend?.State == FrontendState.Paused ? "PAUSED" : "STOP";
        r["pid"] = "1";
        r["iid"] = N(p.Id);
        r["sid"] = N(l.Id);
        r["type"] = "3";
        r["addr"] = l.Address.ToString();
        r["mode"] = ModeName(p.Config.Mode);
        r["dcon"] = r["dses"] = r["wrew"] = r["eint"] = "0";
        Modules(r, withProtocols: false);
        return r;
    }

    private static StatRow Server(ProxyStats p, BackendSnapshot snap, ServerRuntime s, long now)
    {
        var cfg = p.Config;
        var sc = s.Config;
        var h = s.Health;
        var c = s.Stats;
        bool http = cfg.Mode == ProxyMode.Http;
        var r = new StatRow(StatObject.Server, p.Id, s.Id) { Server = s };
        r["pxname"] = cfg.Name;
        r["svname"] = s.Name;
        r["qcur"] = N(s.Queued);
        r["qmax"] = N(c.QueueMax);
        r["scur"] = N(s.CurrentConns);
        r["smax"] = N(s.MaxConns);
        if (sc.MaxConn > 0) r["slim"] = N(sc.MaxConn);
        r["stot"] = N(c[Counter.Sessions]);
        r["bin"] = N(c[Counter.BytesIn]);
        r["bout"] = N(c[Counter.BytesOut]);
        r["dresp"] = N(c[Counter.DeniedResponses]);
        r["econ"] = N(c[Counter.ConnectErrors]);
        r["eresp"] = N(c[Counter.ResponseErrors]);
        r["wretr"] = N(c[Counter.Retries]);
        r["wredis"] = N(c[Counter.Redispatches]);
        r["status"] = ServerStatus(s);
        r["weight"] = N(s.EffectiveWeight);
        r["act"] = sc.Backup ? "0" : "1";
        r["bck"] = sc.Backup ? "1" : "0";
        bool checking = h.Checked && (s.Admin & AdminFlags.ChecksDisabled) == 0;
        if (checking)
        {
            r["chkfail"] = N(h.FailedChecks);
            r["chkdown"] = N(h.Downs);
        }
        r["lastchg"] = N(h.LastChangeSeconds(now));
        if (checking) r["downtime"] = N(h.DowntimeSeconds(now));
        if (sc.MaxQueue > 0) r["qlimit"] = N(sc.MaxQueue);
        r["pid"] = "1";
        r["iid"] = N(p.Id);
        r["sid"] = N(s.Id);
        if (s.EffectiveWeight < s.Weight && s.Weight > 0) r["throttle"] = N(s.EffectiveWeight * 100 / s.Weight);
        r["lbtot"] = N(c[Counter.Selected]);
        r["type"] = "2";
        r["rate"] = N(c.SessionRate.Rate);
        r["rate_max"] = N(c.SessionRate.Max);
        if (checking && h.CheckCode is { } code)
        {
            r["check_status"] = code;
            if (h.LastCode is { } lc) r["check_code"] = N(lc);
            if (h.LastDurationMs is { } d && h.LastCheck != Health.CheckStatus.Ini) r["check_duration"] = N(d);
        }
        if (http) Hrsp(r, c);
        if (checking && s.Observer != null) r["hanafail"] = N(h.FailedObservations);
        if (http) r["req_tot"] = N(c[Counter.Requests]);
        r["cli_abrt"] = N(c[Counter.ClientAborts]);
        r["srv_abrt"] = N(c[Counter.ServerAborts]);
        r["lastsess"] = N(c.SecondsSinceLastSession);
        r["qtime"] = N(c.QueueTime.Average);
        r["ctime"] = N(c.ConnectTime.Average);
        r["rtime"] = N(c.ResponseTime.Average);
        r["ttime"] = N(c.TotalTime.Average);
        if (checking)
        {
            r["check_desc"] = h.CheckDescription ?? "";
            r["check_rise"] = N(sc.Rise);
            r["check_fall"] = N(sc.Fall);
            r["check_health"] = N(h.HealthValue);
        }
        r["addr"] = Address(s);
        if (sc.Cookie is { Length: > 0 } ck && snap.Config.Cookie != null) r["cookie"] = ck;
        r["mode"] = ModeName(cfg.Mode);
        r["wrew"] = N(c[Counter.FailedRewrites]);
        r["connect"] = N(c[Counter.Connects]);
        r["reuse"] = N(c[Counter.Reuses]);
        var (idleUnsafe, idleSafe) = s.Pool.IdleCounts;
        r["srv_icur"] = N(idleUnsafe + idleSafe);
        r["qtime_max"] = N(c.QueueTime.Max);
        r["ctime_max"] = N(c.ConnectTime.Max);
        r["rtime_max"] = N(c.ResponseTime.Max);
        r["ttime_max"] = N(c.TotalTime.Max);
        r["eint"] = N(c[Counter.InternalErrors]);
        r["idle_conn_cur"] = N(idleUnsafe);
        r["safe_conn_cur"] = N(idleSafe);
        r["used_conn_cur"] = N(s.Pool.UsedCount);
        r["need_conn_est"] = (s.Admin & AdminFlags.Maint) != 0 ? "0" : N(Math.Max(1, s.CurrentConns));
        r["uweight"] = N(s.Weight);
        Modules(r, withProtocols: false);
        return r;
    }

    private static StatRow Backend(NodeStats node, ProxyStats p, BackendHandle b, long now)
    {
        var cfg = p.Config;
        var snap = b.Snapshot;
        var c = b.Counters;
        bool http = cfg.Mode == ProxyMode.Http;
        var r = new StatRow(StatObject.Backend, p.Id, 0);
        long queued = 0, cur = 0;
        int weight = 0, uweight = 0, act = 0, bck = 0;
        foreach (var s in snap.All) { queued += s.Queued; cur += s.CurrentConns; }
        bool serving = !snap.Active.IsEmpty;
        foreach (var s in serving ? snap.Active : snap.Serving)
        {
            weight += s.EffectiveWeight;
            uweight += s.Weight;
        }
        act = snap.Active.Length;
        bck = snap.Backups.Length;
        r["pxname"] = cfg.Name;
        r["svname"] = "BACKEND";
        r["qcur"] = "0";
        r["qmax"] = N(c.QueueMax);
        r["scur"] = N(cur);
        r["smax"] = N(c.Active.Max);
        r["slim"] = N(FullConn(node, p));
        r["stot"] = N(c[Counter.Sessions]);
        r["bin"] = N(c[Counter.BytesIn]);
        r["bout"] = N(c[Counter.BytesOut]);
        r["dreq"] = N(c[Counter.DeniedRequests]);
        r["dresp"] = N(c[Counter.DeniedResponses]);
        r["econ"] = N(c[Counter.ConnectErrors]);
        r["eresp"] = N(c[Counter.ResponseErrors]);
        r["wretr"] = N(c[Counter.Retries]);
        r["wredis"] = N(c[Counter.Redispatches]);
        r["status"] = snap.All.IsEmpty || !snap.Serving.IsEmpty ? "UP" : "DOWN";
        r["weight"] = N(weight);
        r["act"] = N(act);
        r["bck"] = N(bck);
        r["chkdown"] = N(b.Downs);
        r["lastchg"] = N(b.LastChangeSeconds(now));
        if (!snap.All.IsEmpty) r["downtime"] = N(b.DowntimeSeconds(now));
        r["pid"] = "1";
        r["iid"] = N(p.Id);
        r["sid"] = "0";
        r["lbtot"] = N(c[Counter.Selected]);
        r["type"] = "1";
        r["rate"] = N(c.SessionRate.Rate);
        r["rate_max"] = N(c.SessionRate.Max);
        if (http)
        {
            Hrsp(r, c);
            r["req_tot"] = N(c[Counter.Requests]);
        }
        r["cli_abrt"] = N(c[Counter.ClientAborts]);
        r["srv_abrt"] = N(c[Counter.ServerAborts]);
        r["comp_in"] = r["comp_out"] = r["comp_byp"] = r["comp_rsp"] = "0";
        r["lastsess"] = N(c.SecondsSinceLastSession);
        r["qtime"] = N(c.QueueTime.Average);
        r["ctime"] = N(c.ConnectTime.Average);
        r["rtime"] = N(c.ResponseTime.Average);
        r["ttime"] = N(c.TotalTime.Average);
        if (cfg.Cookie is { } cookie) r["cookie"] = cookie.Name;
        r["mode"] = ModeName(cfg.Mode);
        r["algo"] = AlgoName(cfg.Balance);
        r["wrew"] = N(c[Counter.FailedRewrites]);
        r["connect"] = N(c[Counter.Connects]);
        r["reuse"] = N(c[Counter.Reuses]);
        if (http) r["cache_lookups"] = r["cache_hits"] = "0";
        r["qtime_max"] = N(c.QueueTime.Max);
        r["ctime_max"] = N(c.ConnectTime.Max);
        r["rtime_max"] = N(c.ResponseTime.Max);
        r["ttime_max"] = N(c.TotalTime.Max);
        r["eint"] = N(c[Counter.InternalErrors]);
        r["uweight"] = N(uweight);
        r["agg_server_status"] = r["agg_server_check_status"] = r["agg_check_status"] = "0";
        Modules(r, withProtocols: true);
        if (http)
        {
            r["h1_open_connections"] = N(cur);
            r["h1_total_connections"] = N(c[Counter.H1Connections]);
            r["h1_total_streams"] = N(c[Counter.H1Streams]);
            r["h1_bytes_in"] = N(c[Counter.H1BytesIn]);
            r["h1_bytes_out"] = N(c[Counter.H1BytesOut]);
        }
        return r;
    }

    /// <summary>The status cell of a server: admin states first, then the check's view.</summary>
    public static string ServerStatus(ServerRuntime s)
    {
        var admin = s.Admin;
        if ((admin & AdminFlags.Maint) != 0) return "MAINT";
        var h = s.Health;
        if ((admin & AdminFlags.Drain) != 0 && !h.Status.StartsWith("DOWN", StringComparison.Ordinal)) return "DRAIN";
        if ((admin & AdminFlags.ChecksDisabled) != 0 && h.Checked)
            return h.Status.StartsWith("DOWN", StringComparison.Ordinal) ? "DOWN" : h.Status.StartsWith("NOLB", StringComparison.Ordinal) ? "NOLB" : "UP";
        return h.Status;
    }

    private static string Address(ServerRuntime s)
    {
        if (s.Config.Address is not { } a) return "";
        var ep = s.EndPoint;
        string host = ep?.Address.ToString() ?? a.Host;
        if (ep?.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) host = "[" + host + "]";
        return host + ":" + (a.PortIsOffset ? (a.Port >= 0 ? "+" : "") + N(a.Port) : N(ep?.Port ?? a.Port));
    }

    /// <summary>A backend's 'fullconn', or haproxy's default: a tenth of what the frontends that use it may hold, rounded up.</summary>
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
        return (sum + 9) / 10;
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
