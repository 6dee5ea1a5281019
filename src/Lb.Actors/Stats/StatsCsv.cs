using System.Text;
using Lb.Actors.Backends;

namespace Lb.Actors.Stats;

/// <summary>
/// A first cut of haproxy's 'show stat' CSV: the 2.6 header, then one row per server and one
/// BACKEND row per backend, with the counters Lb keeps so far (sessions, bytes, errors, health:
/// status, weight, chkfail, chkdown, lastchg, downtime, check_status/code/duration/desc).
/// Columns Lb does not measure yet stay empty. The stats issue completes it (frontend rows, HTML).
/// </summary>
public static class StatsCsv
{
    public const string Header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,";

    private static readonly int Columns = Header.Split(',').Length - 1;

    public static string Render(BackendRegistry backends)
    {
        var sb = new StringBuilder(Header).Append('\n');
        var now = Environment.TickCount64;
        int iid = 0;
        foreach (var handle in backends.All.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            iid++;
            var snap = handle.Snapshot;
            foreach (var s in snap.All) sb.Append(ServerRow(snap, s, iid, now)).Append('\n');
            sb.Append(BackendRow(snap, iid)).Append('\n');
        }
        return sb.ToString();
    }

    private static string ServerRow(BackendSnapshot snap, ServerRuntime s, int iid, long now)
    {
        var f = new string[Columns];
        var h = s.Health;
        f[0] = snap.Config.Name; f[1] = s.Name;
        f[2] = N(s.Queued); f[4] = N(s.CurrentConns); f[5] = N(s.MaxConns); f[7] = N(s.TotalConns);
        f[8] = N(s.BytesIn); f[9] = N(s.BytesOut); f[13] = N(s.ConnectErrors); f[14] = N(s.ResponseErrors);
        f[15] = N(s.Retries); f[16] = N(s.Redispatches);
        f[17] = h.Status;
        f[18] = N(s.EffectiveWeight);
        f[19] = s.Config.Backup ? "0" : "1"; f[20] = s.Config.Backup ? "1" : "0";
        if (h.Checked)
        {
            f[21] = N(h.FailedChecks); f[22] = N(h.Downs); f[24] = N(h.DowntimeSeconds(now));
            f[36] = h.CheckCode ?? ""; f[37] = h.LastCode is { } c ? N(c) : ""; f[38] = h.LastDurationMs is { } d ? N(d) : "";
            f[45] = N(h.FailedObservations); f[65] = h.CheckDescription ?? "";
            f[67] = N(s.Config.Rise); f[68] = N(s.Config.Fall);
        }
        f[23] = N(h.LastChangeSeconds(now));
        f[26] = "1"; f[27] = N(iid); f[28] = N(s.Id); f[32] = "2";
        f[73] = s.EndPoint?.ToString() ?? "";
        f[75] = snap.Config.Mode.ToString().ToLowerInvariant();
        f[99] = N(s.Weight);
        return string.Join(',', f) + ",";
    }

    private static string BackendRow(BackendSnapshot snap, int iid)
    {
        var f = new string[Columns];
        long cur = 0, total = 0;
        int weight = 0;
        foreach (var s in snap.All) { cur += s.CurrentConns; total += s.TotalConns; }
        foreach (var s in snap.Serving) weight += s.EffectiveWeight;
        f[0] = snap.Config.Name; f[1] = "BACKEND";
        f[4] = N(cur); f[7] = N(total);
        f[17] = snap.Serving.IsEmpty ? "DOWN" : "UP";
        f[18] = N(weight); f[19] = N(snap.Active.Length); f[20] = N(snap.Backups.Length);
        f[26] = "1"; f[27] = N(iid); f[28] = "0"; f[32] = "1";
        f[75] = snap.Config.Mode.ToString().ToLowerInvariant();
        return string.Join(',', f) + ",";
    }

    private static string N(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
