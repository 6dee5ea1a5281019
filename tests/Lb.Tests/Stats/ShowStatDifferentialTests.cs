using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Xunit;
using Xunit.Abstractions;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Stats;

/// <summary>
/// The same configuration and the same traffic through the real haproxy 2.6 and through Lb; then
/// both 'show stat' CSVs (read over each one's stats socket) must have the same header line and
/// the same value in every deterministic column of every row.
/// </summary>
[Collection("Differential")]
public sealed class ShowStatDifferentialTests(ITestOutputHelper output)
{
    /// <summary>
    /// The columns whose value is fixed by the config and the traffic. Left out, and why:
    /// smax (Lb counts a client session until its socket is closed, so a client's next
    /// connection may briefly overlap it); bin/bout (haproxy 2.6 counts the bytes of its internal
    /// HTX messages, e.g. 38 for a 46-byte request, Lb counts bytes on the wire); every rate,
    /// age and time (rate*, req_rate*, conn_rate*, lastchg, lastsess, check_duration,
    /// qtime/ctime/rtime/ttime and their *_max); server connection-pool gauges (srv_icur,
    /// idle/safe/used_conn_cur, need_conn_est: haproxy keeps idle server connections, Lb closes
    /// them); the h1 module's columns (open connections and bytes of haproxy's own muxes).
    /// </summary>
    public static readonly string[] Deterministic =
    [
        "pxname", "svname", "qcur", "qmax", "scur", "slim", "stot", "dreq", "dresp", "ereq", "econ", "eresp", "wretr", "wredis",
        "status", "weight", "act", "bck", "chkfail", "chkdown", "downtime", "qlimit", "pid", "iid", "sid", "throttle", "lbtot",
        "tracked", "type", "rate_lim", "check_status", "check_code", "hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx",
        "hrsp_other", "hanafail", "req_tot", "cli_abrt", "srv_abrt", "comp_in", "comp_out", "comp_byp", "comp_rsp", "last_chk",
        "last_agt", "agent_status", "agent_code", "agent_duration", "check_desc", "agent_desc", "check_rise", "check_fall",
        "check_health", "agent_rise", "agent_fall", "agent_health", "addr", "cookie", "mode", "algo", "conn_tot", "intercepted",
        "dcon", "dses", "wrew", "connect", "reuse", "cache_lookups", "cache_hits", "src_ilim", "eint", "uweight",
        "agg_server_status", "agg_server_check_status", "agg_check_status", "-", "ssl_sess", "ssl_reused_sess", "ssl_failed_handshake",
        "h2_headers_rcvd", "h2_data_rcvd", "h2_settings_rcvd", "h2_rst_stream_rcvd", "h2_goaway_rcvd", "h2_detected_conn_protocol_errors",
        "h2_detected_strm_protocol_errors", "h2_rst_stream_resp", "h2_goaway_resp", "h2_open_connections", "h2_backend_open_streams",
        "h2_total_connections", "h2_backend_total_streams", "h1_spliced_bytes_in", "h1_spliced_bytes_out",
    ];

    private static string Config(string socket, int fe, int fe2, int tcp, int stats, TestServer s1, TestServer s2, int dead) => $"""
        global
            maxconn 500
            stats socket {socket} level admin

        defaults
            mode http
            timeout connect 1s
            timeout client 10s
            timeout server 10s
            retries 1

        listen stats
            bind 127.0.0.1:{stats}
            stats enable
            stats uri /st

        frontend fe
            bind 127.0.0.1:{fe} name web
            option socket-stats
            maxconn 100
            default_backend bk

        backend bk
            balance roundrobin
            cookie SRV insert indirect nocache
            server s1 {s1.Address} check inter 500 cookie a
            server s2 {s2.Address} weight 2 maxconn 20 maxqueue 5 cookie b
            server s3 127.0.0.1:{dead} backup

        frontend fe2
            bind 127.0.0.1:{fe2}
            default_backend bk2

        backend bk2
            timeout connect 200ms
            server d1 127.0.0.1:{dead}
            server d2 {s2.Address}

        listen tcpl
            mode tcp
            bind 127.0.0.1:{tcp}
            server t1 {s1.Address}

        """;

    [Fact]
    public async Task ShowStat_SameConfigAndTraffic_SameHeaderAndDeterministicColumns()
    {
        await using var s1 = TestServer.Start("s1", Backend);
        await using var s2 = TestServer.Start("s2", Backend);
        const int dead = 1; // nothing listens there for sure (a free port could be taken by another test meanwhile)
        var dir = Directory.CreateTempSubdirectory("lb-statdiff-");
        using var system = ActorSystem.Create("statdiff", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        try
        {
            var csvs = new List<string>();
            foreach (var (name, start) in new (string, Func<string, Task<RunningProxy>>)[]
                     { ("haproxy", RunningProxy.StartHaproxyAsync), ("lb", cfg => RunningProxy.StartLbAsync(system, cfg)) })
            {
                int fe = FreePort(), fe2 = FreePort(), tcp = FreePort(), stats = FreePort();
                var socket = Path.Combine(dir.FullName, name + ".sock");
                await using var proxy = await start(Config(socket, fe, fe2, tcp, stats, s1, s2, dead));
                // The first check of s1 must be in (L4OK) before the rows are compared.
                Assert.True(await WaitUntilAsync(async () => (await CliAsync(socket, "show stat")).Contains("L4OK"), TimeSpan.FromSeconds(5)), name + ": s1 never checked");
                await Traffic(fe, fe2, tcp, stats);
                // Every client connection must be over on the proxy side (scur 0) before reading.
                Assert.True(await WaitUntilAsync(async () => ParseCsv(await CliAsync(socket, "show stat")).Rows.Values.All(r => r["scur"] == "0"),
                    TimeSpan.FromSeconds(5)), name + ": sessions still open");
                csvs.Add(await CliAsync(socket, "show stat"));
            }
            output.WriteLine(csvs[0]);
            output.WriteLine(csvs[1]);
            var (hHeader, hRows) = ParseCsv(csvs[0]);
            var (lHeader, lRows) = ParseCsv(csvs[1]);
            Assert.Equal(csvs[0].Split('\n')[0], csvs[1].Split('\n')[0]);
            Assert.Equal(hHeader, lHeader);
            Assert.Equal(hRows.Keys, lRows.Keys);
            Assert.Equal("3", lRows[("fe", "web")]["type"]);
            var differences = new List<string>();
            foreach (var (key, h) in hRows)
                foreach (var field in Deterministic)
                    // A listener's addr holds its own port, which differs between the two proxies.
                    if (h.GetValueOrDefault(field) != lRows[key].GetValueOrDefault(field) && !(field == "addr" && h["type"] == "3"))
                        differences.Add($"{key.Item1}/{key.Item2} {field}: haproxy '{h.GetValueOrDefault(field)}', Lb '{lRows[key].GetValueOrDefault(field)}'");
            Assert.True(differences.Count == 0, string.Join("\n", differences));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The same requests, one after the other: 200s, a 404, a persistence cookie, a 400, a stats page,
    /// a dead server (503 after a retry), tcp.</summary>
    private static async Task Traffic(int fe, int fe2, int tcp, int stats)
    {
        Assert.StartsWith("HTTP/1.1 503", await ExchangeAsync(fe2, Get("/")));
        Assert.Contains("hello", await ExchangeAsync(fe2, Get("/")));
        for (int i = 0; i < 6; i++) Assert.Contains("hello", await ExchangeAsync(fe, Get("/")));
        Assert.StartsWith("HTTP/1.1 404", await ExchangeAsync(fe, Get("/missing")));
        Assert.StartsWith("HTTP/1.1 200", await ExchangeAsync(fe, Get("/", "Cookie: SRV=b\r\n")));
        Assert.StartsWith("HTTP/1.1 400", await ExchangeAsync(fe, "GET / HTTP/1.1\r\nHost: test\r\nBad Header\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 200", await ExchangeAsync(stats, Get("/st;csv")));
        Assert.Contains("hello", await ExchangeAsync(tcp, Get("/")));
    }
}
