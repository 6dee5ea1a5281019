namespace Lb.Config.Keywords;

/// <summary>
/// Sample fetch names HAProxy 2.6 accepts in ACLs and rule expressions, plus the ACL
/// derivatives written NAME_SUFFIX (hdr_beg, path_end, url_reg, cook_sub, ...).
/// </summary>
internal static class Fetches
{
    public static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        // layer 4 / internal
        "always_false", "always_true", "be_conn", "be_conn_free", "be_id", "be_name", "be_sess_rate", "bin",
        "bool", "connslots", "cpu_calls", "cpu_ns_avg", "cpu_ns_tot", "date", "date_us", "dst", "dst_conn",
        "dst_is_local", "dst_port", "env", "fe_conn", "fe_defbe", "fe_id", "fe_name", "fe_req_rate",
        "fe_sess_rate", "fe_client_timeout", "hostname", "int", "ipv4", "ipv6", "lat_ns_avg", "lat_ns_tot",
        "meth", "nbproc", "nbsrv", "nbthread", "pid", "proc", "queue", "rand", "srv_conn", "srv_conn_free",
        "srv_id", "srv_is_up", "srv_queue", "srv_sess_rate", "srv_name", "srv_port", "src", "src_port",
        "src_is_local", "so_id", "so_name", "stopping", "str", "table_avl", "table_cnt", "thread", "uuid", "var",
        "avg_queue", "be_server_timeout", "be_tunnel_timeout", "distcc_body", "distcc_param", "payload",
        "payload_lv", "rdp_cookie", "rdp_cookie_cnt", "rep_ssl_hello_type", "req_len", "req_proto_http",
        "req_rdp_cookie", "req_rdp_cookie_cnt", "req_ssl_hello_type", "req_ssl_sni", "req_ssl_ver",
        "res_len", "res.len", "res.payload", "res.payload_lv", "res.ssl_hello_type", "req.len", "req.payload",
        "req.payload_lv", "req.proto_http", "req.rdp_cookie", "req.rdp_cookie_cnt", "req.ssl_alpn",
        "req.ssl_ec_ext", "req.ssl_hello_type", "req.ssl_sni", "req.ssl_st_ext", "req.ssl_ver", "wait_end",
        "sc_http_req_rate", "sc0_http_req_rate", "sc1_http_req_rate", "sc2_http_req_rate", "sc_conn_cur",
        "sc0_conn_cur", "sc1_conn_cur", "sc2_conn_cur", "sc_get_gpc0", "sc0_get_gpc0", "sc1_get_gpc0",
        "sc2_get_gpc0", "sc0_gpc0_rate", "sc1_gpc0_rate", "sc2_gpc0_rate", "sc_conn_rate", "sc0_conn_rate",
        "sc1_conn_rate", "sc2_conn_rate", "sc_http_err_rate", "sc0_http_err_rate", "sc1_http_err_rate",
        "sc2_http_err_rate", "sc0_http_req_cnt", "sc1_http_req_cnt", "sc2_http_req_cnt", "sc0_sess_rate",
        "sc1_sess_rate", "sc2_sess_rate", "sc_tracked", "sc0_tracked", "sc1_tracked", "sc2_tracked",
        "src_conn_cnt", "src_conn_cur", "src_conn_rate", "src_get_gpc0", "src_get_gpt0", "src_gpc0_rate",
        "src_http_err_cnt", "src_http_err_rate", "src_http_req_cnt", "src_http_req_rate", "src_inc_gpc0",
        "src_kbytes_in", "src_kbytes_out", "src_sess_cnt", "src_sess_rate", "src_updt_conn_cnt",
        "table_conn_cnt", "table_conn_cur", "table_conn_rate", "table_gpc0", "table_http_req_rate",
        "fc_rtt", "fc_rttvar", "fc_unacked", "fc_lost", "fc_retrans", "fc_http_major", "bc_http_major",
        "fc_src", "fc_dst", "fc_src_port", "fc_dst_port", "bc_src", "bc_dst", "bc_src_port", "bc_dst_port",
        // ssl
        "ssl_fc", "ssl_fc_sni", "ssl_fc_alpn", "ssl_fc_npn", "ssl_fc_protocol", "ssl_fc_cipher", "ssl_fc_has_crt",
        "ssl_fc_has_sni", "ssl_fc_session_id", "ssl_c_used", "ssl_c_verify", "ssl_c_s_dn", "ssl_c_i_dn",
        "ssl_c_der", "ssl_c_serial", "ssl_c_sha1", "ssl_c_ca_err", "ssl_c_err", "ssl_f_sha1", "ssl_bc",
        "ssl_fc_use_keysize", "ssl_bc_alpn", "ssl_bc_protocol",
        // http
        "base", "base32", "base32+src", "baseq", "capture.req.hdr", "capture.req.method", "capture.req.uri",
        "capture.req.ver", "capture.res.hdr", "capture.res.ver", "cook", "cookie", "hdr", "http_auth",
        "http_auth_group", "http_auth_pass", "http_auth_type", "http_auth_user", "http_first_req", "method",
        "path", "pathq", "query", "req.body", "req.body_len", "req.body_param", "req.body_size", "req.cook",
        "req.cook_cnt", "req.cook_val", "req.fhdr", "req.fhdr_cnt", "req.hdr", "req.hdr_cnt", "req.hdr_ip",
        "req.hdr_names", "req.hdr_val", "req.hdrs", "req.hdrs_bin", "req.timer.hdr", "req.timer.idle",
        "req.timer.queue", "req.timer.tq", "req.ver", "req_ver", "res.body", "res.cache_hit", "res.cache_name",
        "res.comp", "res.comp_algo", "res.cook", "res.cook_cnt", "res.cook_val", "res.fhdr", "res.fhdr_cnt",
        "res.hdr", "res.hdr_cnt", "res.hdr_ip", "res.hdr_names", "res.hdr_val", "res.hdrs", "res.ver", "resp_ver",
        "scook", "set-cookie", "shdr", "status", "txn.status", "unique-id", "url", "url32", "url32+src",
        "url_ip", "url_port", "url_param", "urlp", "urlp_val", "http_req_first", "txn.timer.total",
        "txn.timer.user", "txn.sess_term_state", "req.body_len", "http-request", "hdr_names",
    };

    private static readonly string[] Suffixes =
        { "beg", "end", "sub", "reg", "rx", "dom", "dir", "len", "cnt", "val", "ip", "port", "found", "str" };

    /// <summary>Whether the criterion (with any "(args)" and ",converter" stripped) names a fetch.</summary>
    public static bool IsKnown(string criterion)
    {
        var name = BaseName(criterion);
        if (Names.Contains(name)) return true;
        var us = name.LastIndexOf('_');
        if (us > 0 && Array.IndexOf(Suffixes, name[(us + 1)..]) >= 0 && Names.Contains(name[..us])) return true;
        // trackers: sc0_*, sc1_*, sc2_*, src_*, table_* families are open-ended
        return name.StartsWith("sc0_") || name.StartsWith("sc1_") || name.StartsWith("sc2_") || name.StartsWith("sc_")
            || name.StartsWith("src_") || name.StartsWith("table_") || name.StartsWith("ssl_") || name.StartsWith("lua.");
    }

    public static string BaseName(string criterion)
    {
        int end = criterion.Length;
        int paren = criterion.IndexOf('(');
        int comma = criterion.IndexOf(',');
        if (paren >= 0) end = Math.Min(end, paren);
        if (comma >= 0) end = Math.Min(end, comma);
        return criterion[..end];
    }

    /// <summary>ACLs every proxy has without declaring them.</summary>
    public static readonly HashSet<string> PredefinedAcls = new(StringComparer.Ordinal)
    {
        "FALSE", "HTTP", "HTTP_1.0", "HTTP_1.1", "HTTP_2.0", "HTTP_3.0", "HTTP_CONTENT", "HTTP_URL_ABS",
        "HTTP_URL_SLASH", "HTTP_URL_STAR", "LOCALHOST", "METH_CONNECT", "METH_DELETE", "METH_GET", "METH_HEAD",
        "METH_OPTIONS", "METH_POST", "METH_PUT", "METH_TRACE", "RDP_COOKIE", "REQ_CONTENT", "TRUE", "WAIT_END",
    };
}
