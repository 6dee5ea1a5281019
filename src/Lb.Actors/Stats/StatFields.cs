namespace Lb.Actors.Stats;

/// <summary>What a 'show stat' row describes: haproxy's object types.</summary>
public enum StatObject { Frontend, Backend, Server, Listener }

/// <summary>
/// One column of haproxy 2.6's 'show stat': its name and, per object type, the typed-output
/// tags ("origin nature scope:type", e.g. "MCP:u64") where that object reports the field (null:
/// the cell stays empty). The order is haproxy's: 103 static fields, the "-" separator, then
/// the columns of the ssl, h2 and h1 statistics modules.
/// </summary>
public sealed record StatField(string Name, string? Frontend, string? Backend, string? Server)
{
    /// <summary>A listener reports a subset of the frontend's fields, with the same tags (addr and sid as a server's).</summary>
    public string? TagsFor(StatObject o) => o switch
    {
        StatObject.Frontend => Frontend,
        StatObject.Backend => Backend,
        StatObject.Listener => Name is "addr" or "sid" ? Server : Frontend ?? Server,
        _ => Server,
    };
}

/// <summary>The 'show stat' columns in haproxy 2.6's order.</summary>
public static class StatFields
{
    public static readonly StatField[] All =
    [
        new("pxname", "KNS:str", "KNS:str", "KNS:str"),
        new("svname", "KNS:str", "KNS:str", "KNS:str"),
        new("qcur", null, "MGP:u32", "MGP:u32"),
        new("qmax", null, "MMP:u32", "MMP:u32"),
        new("scur", "MGP:u32", "MGP:u32", "MGP:u32"),
        new("smax", "MMP:u32", "MMP:u32", "MMP:u32"),
        new("slim", "CLP:u32", "CLP:u32", "CLP:u32"),
        new("stot", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("bin", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("bout", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("dreq", "MCP:u64", "MCP:u64", null),
        new("dresp", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("ereq", "MCP:u64", null, null),
        new("econ", null, "MCP:u64", "MCP:u64"),
        new("eresp", null, "MCP:u64", "MCP:u64"),
        new("wretr", null, "MCP:u64", "MCP:u64"),
        new("wredis", null, "MCP:u64", "MCP:u64"),
        new("status", "SGP:str", "SGP:str", "SGP:str"),
        new("weight", null, "MaP:u32", "MaP:u32"),
        new("act", null, "MGP:u32", "SGP:u32"),
        new("bck", null, "MGP:u32", "SGP:u32"),
        new("chkfail", null, null, "MCP:u64"),
        new("chkdown", null, "MCP:u64", "MCP:u64"),
        new("lastchg", null, "MAP:u32", "MAP:u32"),
        new("downtime", null, "MCP:u32", "MCP:u32"),
        new("qlimit", null, null, "CLP:u32"),
        new("pid", "KGP:u32", "KGP:u32", "KGP:u32"),
        new("iid", "KGS:u32", "KGS:u32", "KGS:u32"),
        new("sid", "KGS:u32", "KGS:u32", "KGS:u32"),
        new("throttle", null, null, "MaP:u32"),
        new("lbtot", null, "MCP:u64", "MCP:u64"),
        new("tracked", null, null, "CNS:str"),
        new("type", "CGS:u32", "CGS:u32", "CGS:u32"),
        new("rate", "MRP:u32", "MGP:u32", "MRP:u32"),
        new("rate_lim", "CLP:u32", null, null),
        new("rate_max", "MMP:u32", "MGP:u32", "MMP:u32"),
        new("check_status", null, null, "MOP:str"),
        new("check_code", null, null, "MOP:u32"),
        new("check_duration", null, null, "MDP:u64"),
        new("hrsp_1xx", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("hrsp_2xx", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("hrsp_3xx", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("hrsp_4xx", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("hrsp_5xx", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("hrsp_other", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("hanafail", null, null, "MCP:u64"),
        new("req_rate", "MRP:u32", null, null),
        new("req_rate_max", "MMP:u32", null, null),
        new("req_tot", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("cli_abrt", null, "MCP:u64", "MCP:u64"),
        new("srv_abrt", null, "MCP:u64", "MCP:u64"),
        new("comp_in", "MCP:u64", "MCP:u64", null),
        new("comp_out", "MCP:u64", "MCP:u64", null),
        new("comp_byp", "MCP:u64", "MCP:u64", null),
        new("comp_rsp", "MCP:u64", "MCP:u64", null),
        new("lastsess", null, "MAP:s32", "MAP:s32"),
        new("last_chk", null, null, "MOP:str"),
        new("last_agt", null, null, "MOP:str"),
        new("qtime", null, "MaP:u32", "MaP:u32"),
        new("ctime", null, "MaP:u32", "MaP:u32"),
        new("rtime", null, "MaP:u32", "MaP:u32"),
        new("ttime", null, "MaP:u32", "MaP:u32"),
        new("agent_status", null, null, "MOP:str"),
        new("agent_code", null, null, "MOP:u32"),
        new("agent_duration", null, null, "MDP:u64"),
        new("check_desc", null, null, "MOP:str"),
        new("agent_desc", null, null, "MOP:str"),
        new("check_rise", null, null, "CGS:u32"),
        new("check_fall", null, null, "CGS:u32"),
        new("check_health", null, null, "CGS:u32"),
        new("agent_rise", null, null, "CGS:u32"),
        new("agent_fall", null, null, "CGS:u32"),
        new("agent_health", null, null, "CGS:u32"),
        new("addr", null, null, "CGS:str"),
        new("cookie", null, "CNS:str", "CNS:str"),
        new("mode", "CGS:str", "CGS:str", "CGS:str"),
        new("algo", null, "CGS:str", null),
        new("conn_rate", "MRP:u32", null, null),
        new("conn_rate_max", "MMP:u32", null, null),
        new("conn_tot", "MCP:u64", null, null),
        new("intercepted", "MCP:u64", null, null),
        new("dcon", "MCP:u64", null, null),
        new("dses", "MCP:u64", null, null),
        new("wrew", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("connect", null, "MCP:u64", "MCP:u64"),
        new("reuse", null, "MCP:u64", "MCP:u64"),
        new("cache_lookups", "MCP:u64", "MCP:u64", null),
        new("cache_hits", "MCP:u64", "MCP:u64", null),
        new("srv_icur", null, null, "MGP:u32"),
        new("src_ilim", null, null, "CLP:u32"),
        new("qtime_max", null, "MMP:u32", "MMP:u32"),
        new("ctime_max", null, "MMP:u32", "MMP:u32"),
        new("rtime_max", null, "MMP:u32", "MMP:u32"),
        new("ttime_max", null, "MMP:u32", "MMP:u32"),
        new("eint", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("idle_conn_cur", null, null, "MGP:u32"),
        new("safe_conn_cur", null, null, "MGP:u32"),
        new("used_conn_cur", null, null, "MGP:u32"),
        new("need_conn_est", null, null, "MGP:u32"),
        new("uweight", null, "MaP:u32", "MaP:u32"),
        new("agg_server_status", null, "MGP:u32", null),
        new("agg_server_check_status", null, "MGP:u32", null),
        new("agg_check_status", null, "MGP:u32", null),
        new("-", null, null, null),
        new("ssl_sess", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("ssl_reused_sess", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("ssl_failed_handshake", "MCP:u64", "MCP:u64", "MCP:u64"),
        new("h2_headers_rcvd", "MCP:u64", "MCP:u64", null),
        new("h2_data_rcvd", "MCP:u64", "MCP:u64", null),
        new("h2_settings_rcvd", "MCP:u64", "MCP:u64", null),
        new("h2_rst_stream_rcvd", "MCP:u64", "MCP:u64", null),
        new("h2_goaway_rcvd", "MCP:u64", "MCP:u64", null),
        new("h2_detected_conn_protocol_errors", "MCP:u64", "MCP:u64", null),
        new("h2_detected_strm_protocol_errors", "MCP:u64", "MCP:u64", null),
        new("h2_rst_stream_resp", "MCP:u64", "MCP:u64", null),
        new("h2_goaway_resp", "MCP:u64", "MCP:u64", null),
        new("h2_open_connections", "MGP:u64", "MGP:u64", null),
        new("h2_backend_open_streams", "MGP:u64", "MGP:u64", null),
        new("h2_total_connections", "MCP:u64", "MCP:u64", null),
        new("h2_backend_total_streams", "MCP:u64", "MCP:u64", null),
        new("h1_open_connections", "MGP:u64", "MGP:u64", null),
        new("h1_open_streams", "MGP:u64", "MGP:u64", null),
        new("h1_total_connections", "MCP:u64", "MCP:u64", null),
        new("h1_total_streams", "MCP:u64", "MCP:u64", null),
        new("h1_bytes_in", "MCP:u64", "MCP:u64", null),
        new("h1_bytes_out", "MCP:u64", "MCP:u64", null),
        new("h1_spliced_bytes_in", "MCP:u64", "MCP:u64", null),
        new("h1_spliced_bytes_out", "MCP:u64", "MCP:u64", null),
    ];

    /// <summary>Index of the "-" column that ends the static fields.</summary>
    public static readonly int Separator = Array.FindIndex(All, f => f.Name == "-");

    /// <summary>The CSV header line (with its trailing comma, no newline).</summary>
    public static readonly string CsvHeader = "# " + string.Join(",", All.Select(f => f.Name)) + ",";

    private static readonly Dictionary<string, int> ByName = All.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    /// <summary>The column index of a field name.</summary>
    public static int IndexOf(string name) => ByName[name];

    /// <summary>The field's position in typed and JSON output (the "-" column is not counted there).</summary>
    public static int Position(int index) => index < Separator ? index : index - 1;
}
