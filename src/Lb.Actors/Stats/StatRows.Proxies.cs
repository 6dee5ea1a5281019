using System.Globalization;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Config.Model;

namespace Lb.Actors.Stats;

public static partial class StatRows
{
    // FRONTEND, listener and BACKEND rows.
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
        // haproxy's backend qcur is its own queue; scur counts every stream assigned to the
        // backend, connected or waiting in a queue (the backend's or a server's).
        long backendQueued = b.Queue.BackendQueued;
        r["qcur"] = N(backendQueued);
        r["qmax"] = N(c.QueueMax);
        r["scur"] = N(cur + queued + backendQueued);
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
}
