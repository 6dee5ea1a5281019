using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Config;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Rules;

/// <summary>
/// Whatever rules a configuration holds, once the parser accepts it, compiling them and running
/// requests and responses through them never throws (a bad rule is a warning). Fixed seeds: a
/// failure prints the configuration and reproduces.
/// </summary>
public sealed class RulesFuzzTests
{
    private static readonly string[] Criteria =
    [
        "hdr(host)", "hdr_beg(host)", "hdr_end(x-a)", "hdr_sub(user-agent)", "hdr_reg(user-agent)", "hdr_dom(host)", "hdr_dir(x-a)",
        "hdr_len(x-a)", "hdr_cnt(x-a)", "hdr_val(x-n)", "hdr_ip(x-ip)", "hdr(x-a,2)", "hdr(x-a,-1)", "req.fhdr(x-a)", "path", "path_beg",
        "path_end", "path_reg", "path_len", "path_dir", "url", "url_sub", "url_param(id)", "urlp_val(n)", "query", "base", "method",
        "req.ver", "src", "src_port", "dst", "dst_port", "nbsrv(b1)", "be_conn", "fe_conn", "cook(s)", "cook_cnt(s)", "cook_val(s)",
        "status", "res.hdr(x-a)", "shdr_cnt(x-a)", "always_true", "always_false", "ssl_fc", "hdr(host),lower", "path,upper",
        "url_port", "url_ip", "int(3)", "str(x)", "env(HOME)", "sc0_http_req_rate",
    ];

    private static readonly string[] Flags = ["", "-i", "-m str", "-m beg", "-m sub", "-m reg", "-m int", "-m ip", "-m len", "-m found", "-m bool", "-m dom", "-m dir", "-m end", "-i -m reg", "-n", "--"];

    private static readonly string[] Patterns =
    [
        "", "a", "www.example.com", "/static", ".php", "^/x(y", "^/(a|b)", "10.0.0.0/8", "::1", "1:5", "gt 3", "lt 1", "eq 0", "ge x",
        "1.1", "GET", "PURGE", "-1", "\\.", "(?i)x", "[unclosed", "abc def", "0", "99999999999999999999",
    ];

    private static readonly string[] Actions =
    [
        "http-request deny", "http-request deny deny_status 429", "http-request deny status 400 string x", "http-request tarpit",
        "http-request return status 201 string hi content-type text/plain hdr X-A %[src]", "http-request return",
        "http-request auth realm R", "http-request redirect location /%[path]", "http-request redirect prefix / drop-query",
        "http-request redirect scheme https append-slash", "http-request set-header X-A %[req.hdr(x-a),lower]",
        "http-request add-header X-B v", "http-request del-header X-A -m beg", "http-request replace-header X-A (.*) \\1-x",
        "http-request replace-value X-A ^a$ b", "http-request set-path /p%[path]", "http-request set-query q=%[src_port]",
        "http-request set-uri %[url]", "http-request set-method %[req.hdr(x-m)]", "http-request replace-path (.*) /r\\1",
        "http-request allow", "http-request use-service no-such", "http-request set-var(txn.a) str(1)", "http-request capture req.hdr(host) len 10",
        "http-response set-header X-R %[status]", "http-response deny", "http-response set-status 299 reason ok",
        "http-response del-header X-A", "http-response replace-value X-A (a) \\1\\1", "http-response return status 204",
        "use_backend b2", "use_backend %[req.hdr(x-be)]", "redirect location /r code 301", "redirect prefix http://p append-slash",
        "tcp-request connection reject", "monitor-uri /m",
    ];

    private static readonly string[] Requests =
    [
        "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
        "GET http://h:81/a/b?id=1&n=7 HTTP/1.1\r\nHost: h:81\r\nX-A: a, b\r\nX-A: c\r\nCookie: s=1; s=2\r\nX-N: 12\r\nX-IP: 10.1.1.1\r\n\r\n",
        "POST /x.php?q HTTP/1.0\r\nContent-Length: 0\r\nUser-Agent: iPhone\r\nX-M: PUT\r\nX-Be: b3\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /m HTTP/1.1\r\nHost: \r\nX-A: \r\n\r\n",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomRules_CompileAndRun_NeverThrow(int seed)
    {
        var rnd = new Random(seed * 7919);
        int compiled = 0;
        for (int n = 0; n < 60; n++)
        {
            var lines = new List<string>();
            int acls = rnd.Next(0, 5);
            for (int i = 0; i < acls; i++)
                lines.Add($"acl a{i} {Pick(rnd, Criteria)} {Pick(rnd, Flags)} {Pick(rnd, Patterns)} {Pick(rnd, Patterns)}".TrimEnd());
            int rules = rnd.Next(1, 8);
            for (int i = 0; i < rules; i++)
            {
                var cond = rnd.Next(4) switch
                {
                    0 => "",
                    1 when acls > 0 => $" if a{rnd.Next(acls)}",
                    2 when acls > 1 => $" unless a{rnd.Next(acls)} || !a{rnd.Next(acls)}",
                    _ => $" if {{ {Pick(rnd, Criteria)} {Pick(rnd, Flags)} {Pick(rnd, Patterns)} }}".Replace("  ", " "),
                };
                lines.Add(Pick(rnd, Actions) + (Pick(rnd, Actions).StartsWith("monitor-uri") ? "" : cond));
            }
            var cfg = $"""
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                frontend fe
                    bind 127.0.0.1:8080
                {string.Join("\n", lines.Select(l => "    " + l))}
                    default_backend b1
                backend b1
                    server s1 127.0.0.1:9001
                backend b2
                    server s2 127.0.0.1:9002
                backend b3
                    http-request set-header X-In b3
                    http-response set-header X-Out b3
                    server s3 127.0.0.1:9003

                """;
            var loaded = ConfigLoader.LoadText(cfg);
            if (loaded.Config is null) continue;
            try
            {
                var backends = BackendRegistry.Build(loaded.Config, _ => null);
                var fe = new FrontendRuntime(loaded.Config.FindProxy("fe")!, backends);
                var session = fe.Rules.NewSession(fe, System.Net.IPEndPoint.Parse("10.1.2.3:4000"), System.Net.IPEndPoint.Parse("127.0.0.1:8080"));
                foreach (var raw in Requests)
                {
                    using var request = ParseRequest(raw);
                    foreach (var connection in new[] { ConnectionHeader.None, ConnectionHeader.Close, ConnectionHeader.KeepAlive })
                    {
                        session.OnRequest(request, connection);
                        using var response = ParseResponse("HTTP/1.1 200 OK\r\nX-A: a, b\r\nSet-Cookie: s=1\r\nContent-Length: 0\r\n\r\n");
                        session.OnResponse(response, connection);
                        _ = response.ToArray();
                    }
                    _ = request.ToArray();
                }
                fe.Rules.AcceptsConnection(fe, System.Net.IPEndPoint.Parse("10.1.2.3:4000"), null);
                fe.Rules.SelectTcpBackend(fe, null, null);
                compiled++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, config {n}:\n{cfg}\n{e}");
            }
        }
        // The parser rejects some random lines; enough configurations must get through to mean something.
        Assert.True(compiled >= 20, $"only {compiled} of 60 configurations were accepted by the parser");
    }

    private static string Pick(Random rnd, string[] items) => items[rnd.Next(items.Length)];
}
