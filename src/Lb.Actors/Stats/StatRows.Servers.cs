using System.Globalization;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Config.Model;

namespace Lb.Actors.Stats;

public static partial class StatRows
{
    // Server rows.
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
        if (s.MaxConn != 0) r["slim"] = N((uint)s.MaxConn); // haproxy prints it unsigned (a negative 'set maxconn' shows 4294967295)
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
        // A check paused by maintenance shows no result, as in haproxy (its counters stay).
        bool reporting = checking && (s.Admin & AdminFlags.Maint) == 0;
        if (reporting && h.CheckCode is { } code)
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
        if (reporting)
        {
            r["check_desc"] = h.CheckDescription ?? "";
            r["last_chk"] = h.LastInfo ?? "";
            r["check_rise"] = N(sc.Rise);
            r["check_fall"] = N(sc.Fall);
            r["check_health"] = N(h.HealthValue);
        }
        if (s.Agent is { } agent && (s.Admin & AdminFlags.AgentDisabled) == 0) AgentColumns(r, agent);
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

    /// <summary>The agent check's columns, as haproxy fills them (agent rise and fall are always 1).</summary>
    private static void AgentColumns(StatRow r, Health.AgentHealth agent)
    {
        r["last_agt"] = agent.LastText;
        r["agent_status"] = Health.AgentStatusText.Code(agent.Status);
        if (Health.AgentStatusText.HasCode(agent.Status)) r["agent_code"] = "0";
        if (agent.DurationMs is { } d) r["agent_duration"] = N(d);
        r["agent_desc"] = Health.AgentStatusText.Description(agent.Status);
        r["agent_rise"] = "1";
        r["agent_fall"] = "1";
        r["agent_health"] = N(agent.Health);
    }

    public static string ServerStatus(ServerRuntime s)
    {
        var admin = s.Admin;
        if ((admin & AdminFlags.Maint) != 0) return "MAINT";
        var h = s.Health;
        bool agent = s.Agent != null && (admin & AdminFlags.AgentDisabled) == 0;
        if (agent && s.Agent!.Health == 0) return "DOWN (agent)";
        if ((admin & AdminFlags.Drain) != 0 && !h.Status.StartsWith("DOWN", StringComparison.Ordinal)) return agent ? "DRAIN (agent)" : "DRAIN";
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
}
