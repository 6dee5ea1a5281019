using System.Text.Json;
using Lb.Actors.Stats;
using Xunit;

namespace Lb.Tests.Stats;

public sealed class StatsFormatsTests
{
    // haproxy 2.6.12's header, as 'show stat' prints it (captured on loopback).
    private const string Haproxy26Header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,";

    private static StatRow Row(StatObject type = StatObject.Server)
    {
        var r = new StatRow(type, 4, type == StatObject.Server ? 1 : 0);
        r["pxname"] = "bk";
        r["svname"] = type == StatObject.Server ? "s1" : "BACKEND";
        r["status"] = "UP";
        r["stot"] = "12";
        r["weight"] = "3";
        return r;
    }

    [Fact]
    public void CsvHeader_Always_IsHaproxy26sHeaderWithTheModuleColumns()
    {
        Assert.Equal(Haproxy26Header, StatFields.CsvHeader);
        Assert.Equal(128, StatFields.All.Length);
        Assert.Equal(103, StatFields.Separator);
    }

    [Fact]
    public void Csv_OneRow_HeaderLineRowAndFinalEmptyLine()
    {
        var csv = StatsFormats.Csv([Row()]);
        var lines = csv.Split('\n');
        Assert.Equal(Haproxy26Header, lines[0]);
        Assert.StartsWith("bk,s1,,,,,,12,", lines[1]);
        Assert.Equal(129, lines[1].Split(',').Length); // 128 cells, each followed by a comma
        Assert.Equal("", lines[2]);
        Assert.Equal("", lines[3]);
        Assert.EndsWith("\n\n", csv);
    }

    [Fact]
    public void Csv_CellWithCommaOrQuote_IsQuotedWithDoubledQuotes()
    {
        var r = Row();
        r["check_desc"] = "a,b";
        r["last_chk"] = "say \"hi\"";
        var line = StatsFormats.Csv([r]).Split('\n')[1];
        Assert.Contains(",\"a,b\",", line);
        Assert.Contains(",\"say \"\"hi\"\"\",", line);
    }

    [Fact]
    public void Typed_ServerRow_OneLinePerFilledCellWithTagsAndPositions()
    {
        var text = StatsFormats.Typed([Row()]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("S.4.1.0.pxname.1:KNS:str:bk", lines);
        Assert.Contains("S.4.1.7.stot.1:MCP:u64:12", lines);
        Assert.Contains("S.4.1.17.status.1:SGP:str:UP", lines);
        Assert.Contains("S.4.1.18.weight.1:MaP:u32:3", lines);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void Typed_ModuleColumn_PositionDoesNotCountTheSeparator()
    {
        var r = Row(StatObject.Backend);
        r["ssl_sess"] = "0";
        Assert.Contains("B.4.0.103.ssl_sess.1:MCP:u64:0\n", StatsFormats.Typed([r]));
    }

    [Fact]
    public void Json_TwoRows_ArrayOfRowsWithHaproxysFieldObjects()
    {
        var json = StatsFormats.Json([Row(), Row(StatObject.Backend)]);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        var first = doc.RootElement[0];
        var stot = first.EnumerateArray().Single(e => e.GetProperty("field").GetProperty("name").GetString() == "stot");
        Assert.Equal("Server", stot.GetProperty("objType").GetString());
        Assert.Equal(4, stot.GetProperty("proxyId").GetInt32());
        Assert.Equal(1, stot.GetProperty("id").GetInt32());
        Assert.Equal(7, stot.GetProperty("field").GetProperty("pos").GetInt32());
        Assert.Equal(1, stot.GetProperty("processNum").GetInt32());
        Assert.Equal("Metric", stot.GetProperty("tags").GetProperty("origin").GetString());
        Assert.Equal("Counter", stot.GetProperty("tags").GetProperty("nature").GetString());
        Assert.Equal("Process", stot.GetProperty("tags").GetProperty("scope").GetString());
        Assert.Equal("u64", stot.GetProperty("value").GetProperty("type").GetString());
        Assert.Equal(12, stot.GetProperty("value").GetProperty("value").GetInt64());
        var status = first.EnumerateArray().Single(e => e.GetProperty("field").GetProperty("name").GetString() == "status");
        Assert.Equal("UP", status.GetProperty("value").GetProperty("value").GetString());
    }

    [Fact]
    public void Json_StringWithQuotesAndControls_IsEscaped()
    {
        var r = Row();
        r["check_desc"] = "a\"b\\c\nd";
        using var doc = JsonDocument.Parse(StatsFormats.Json([r]));
        var desc = doc.RootElement[0].EnumerateArray().Single(e => e.GetProperty("field").GetProperty("name").GetString() == "check_desc");
        Assert.Equal("a\"b\\c\nd", desc.GetProperty("value").GetProperty("value").GetString());
    }

    [Theory]
    [InlineData(0L, "0d 0h00m00s")]
    [InlineData(73L, "0d 0h01m13s")]
    [InlineData(90061L, "1d 1h01m01s")]
    public void Uptime_Seconds_HaproxysFormat(long seconds, string expected) => Assert.Equal(expected, ProcessInfo.Uptime(seconds));

    [Fact]
    public void InfoFields_Order_IsHaproxysWithItsGaps()
    {
        Assert.Equal("Name", ProcessInfo.Fields[0].Name);
        Assert.Equal(("Tasks", 47), (ProcessInfo.Fields[45].Name, ProcessInfo.Fields[45].Pos));
        Assert.Equal("Tainted", ProcessInfo.Fields[^1].Name);
        Assert.Equal(69, ProcessInfo.Fields.Length);
    }
}
