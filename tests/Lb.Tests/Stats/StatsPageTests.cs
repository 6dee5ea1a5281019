using System.Text;
using System.Text.Json;
using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Stats;

/// <summary>The stats page served by an in-process Lb: auth, realm, refresh, formats, scope, admin actions, colours.</summary>
public sealed class StatsPageTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fixture;

    public StatsPageTests(ProxyFixture fixture) => _fixture = fixture;

    private static string Auth(string account) => "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(account)) + "\r\n";

    private static (int Status, Dictionary<string, string> Headers, string Body) Parse(string response)
    {
        int end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no response head: " + response);
        var lines = response[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].ToLowerInvariant(), p => p[1].Trim());
        return (int.Parse(lines[0].Split(' ')[1]), headers, response[(end + 4)..]);
    }

    private async Task<(RunningProxy Lb, int Stats, int Fe)> Start(string statsLines, string backend)
    {
        int stats = FreePort(), fe = FreePort();
        var lb = await RunningProxy.StartLbAsync(_fixture.System, $"""
            defaults
                mode http
                timeout connect 1s
                timeout client 10s
                timeout server 10s

            listen stats
                bind 127.0.0.1:{stats}
                stats enable
                stats uri /haproxy-status
            {statsLines}

            frontend www
                bind 127.0.0.1:{fe}
                default_backend app

            backend app
            {backend}

            """);
        return (lb, stats, fe);
    }

    [Fact]
    public async Task Page_AuthRealmRefreshHideVersion_AsConfigured()
    {
        var (lb, port, _) = await Start("    stats auth admin:secret\n    stats auth ops:pw2\n    stats realm Private\\ lands\n    stats refresh 30s\n    stats hide-version\n    stats show-legends",
            "    server web1 127.0.0.1:1");
        await using var _ = lb;
        var (status, headers, _) = Parse(await ExchangeAsync(port, Get("/haproxy-status")));
        Assert.Equal(401, status);
        Assert.Equal("Basic realm=\"Private lands\"", headers["www-authenticate"]);
        Assert.Equal(401, Parse(await ExchangeAsync(port, Get("/haproxy-status", Auth("admin:wrong")))).Status);
        Assert.Equal(401, Parse(await ExchangeAsync(port, Get("/haproxy-status;csv", Auth("ops:secret")))).Status);
        foreach (var account in new[] { "admin:secret", "ops:pw2" })
        {
            var (ok, h, body) = Parse(await ExchangeAsync(port, Get("/haproxy-status", Auth(account))));
            Assert.Equal(200, ok);
            Assert.StartsWith("text/html", h["content-type"]);
            Assert.Equal("30", h["refresh"]);
            Assert.Contains("web1", body);
            Assert.Contains("www", body);
            Assert.DoesNotMatch("(?i)version\\s*[0-9]", body);
            Assert.Contains("(cap: backend, mode: http, id: ", body); // show-legends
            Assert.Contains("(127.0.0.1:1, id: 1)", body);
        }
        var (_, noRefresh, _) = Parse(await ExchangeAsync(port, Get("/haproxy-status;norefresh", Auth("admin:secret"))));
        Assert.False(noRefresh.ContainsKey("refresh"));
    }

    [Fact]
    public async Task Page_NoHideVersion_ShowsTheVersionAndOneTablePerProxy()
    {
        var (lb, port, _) = await Start("", "    server web1 127.0.0.1:1\n    server web2 127.0.0.1:2 backup");
        await using var _ = lb;
        var (status, _, body) = Parse(await ExchangeAsync(port, Get("/haproxy-status")));
        Assert.Equal(200, status);
        Assert.Matches("Lb version [0-9]", body);
        foreach (var proxy in new[] { "stats", "www", "app" }) Assert.Contains($"<a name=\"{proxy}\"></a>", body);
        Assert.DoesNotContain("(cap: ", body);
        Assert.Contains("<tr class=\"active_no_check\">", body);
        Assert.Contains("<tr class=\"backup_no_check\">", body);
        Assert.Contains("<tr class=\"frontend\">", body);
        Assert.Contains("<tr class=\"backend\">", body);
        Assert.DoesNotContain("<form method=\"post\">", body); // no 'stats admin'
        Assert.EndsWith("</body></html>\n", body);
    }

    [Fact]
    public async Task Page_CsvAndJson_SameRowsAsTheSocketWouldShow()
    {
        var (lb, port, fe) = await Start("", "    server web1 127.0.0.1:1");
        await using var _ = lb;
        var (status, headers, csv) = Parse(await ExchangeAsync(port, Get("/haproxy-status;csv")));
        Assert.Equal(200, status);
        Assert.Equal("text/plain", headers["content-type"]);
        var rows = ParseCsv(csv).Rows;
        Assert.Equal(["stats/FRONTEND", "stats/BACKEND", "www/FRONTEND", "app/web1", "app/BACKEND"], rows.Keys.Select(k => k.Item1 + "/" + k.Item2));
        var (jstatus, jheaders, json) = Parse(await ExchangeAsync(port, Get("/haproxy-status;json")));
        Assert.Equal(200, jstatus);
        Assert.Equal("application/json", jheaders["content-type"]);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(5, doc.RootElement.GetArrayLength());
        Assert.Equal("Server", doc.RootElement[3][0].GetProperty("objType").GetString());
        // The stats requests themselves are counted, as haproxy does: intercepted on arrival (this
        // one included), hrsp_2xx once answered (this one not yet).
        rows = ParseCsv(Parse(await ExchangeAsync(port, Get("/haproxy-status;csv"))).Body).Rows;
        Assert.Equal("3", rows[("stats", "FRONTEND")]["intercepted"]);
        Assert.Equal("2", rows[("stats", "FRONTEND")]["hrsp_2xx"]);
    }

    [Fact]
    public async Task Page_Scope_OnlyTheNamedProxies()
    {
        var (lb, port, _) = await Start("    stats scope app", "    server web1 127.0.0.1:1");
        await using var _ = lb;
        var rows = ParseCsv(Parse(await ExchangeAsync(port, Get("/haproxy-status;csv"))).Body).Rows;
        Assert.Equal(["app/web1", "app/BACKEND"], rows.Keys.Select(k => k.Item1 + "/" + k.Item2));
        var html = Parse(await ExchangeAsync(port, Get("/haproxy-status?scope=zzz"))).Body;
        Assert.DoesNotContain("<a name=\"app\"></a>", html);
    }

    [Fact]
    public async Task Page_AdminIfTrue_PostedActionChangesTheServerState()
    {
        var (lb, port, _) = await Start("    stats admin if TRUE", "    server web1 127.0.0.1:1\n    server web2 127.0.0.1:2");
        await using var _ = lb;
        var page = Parse(await ExchangeAsync(port, Get("/haproxy-status"))).Body;
        Assert.Contains("<form method=\"post\">", page);
        Assert.Contains("<input type=\"checkbox\" name=\"s\" value=\"web1\">", page);
        var idMatch = System.Text.RegularExpressions.Regex.Match(page, "name=\"b\" value=\"#(\\d+)\"");
        Assert.True(idMatch.Success);
        var form = $"s=web1&s=web2&action=maint&b=%23{idMatch.Groups[1].Value}";
        var post = $"POST /haproxy-status HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {form.Length}\r\nConnection: close\r\n\r\n{form}";
        var (status, headers, _) = Parse(await ExchangeAsync(port, post));
        Assert.Equal(303, status);
        Assert.Equal("/haproxy-status;st=DONE", headers["location"]);
        Assert.True(await WaitUntilAsync(async () =>
        {
            var rows = ParseCsv(Parse(await ExchangeAsync(port, Get("/haproxy-status;csv"))).Body).Rows;
            return rows[("app", "web1")]["status"] == "MAINT" && rows[("app", "web2")]["status"] == "MAINT";
        }, TimeSpan.FromSeconds(5)));
        var done = Parse(await ExchangeAsync(port, Get("/haproxy-status;st=DONE"))).Body;
        Assert.Contains("Action processed successfully.", done);
        Assert.Contains("<tr class=\"maintain\">", done);
        // The form body may come in a later packet than the head.
        form = $"s=web1&action=ready&b=app";
        var head = $"POST /haproxy-status HTTP/1.1\r\nHost: test\r\nContent-Length: {form.Length}\r\nConnection: close\r\n\r\n";
        using var client = await RawConnection.ConnectAsync(port);
        await client.SendAsync(head);
        await Task.Delay(100);
        await client.SendAsync(form);
        var reply = await client.ReadHeadAsync(TimeSpan.FromSeconds(5));
        Assert.StartsWith("HTTP/1.1 303", Encoding.Latin1.GetString(reply!));
        Assert.True(await WaitUntilAsync(async () =>
            ParseCsv(Parse(await ExchangeAsync(port, Get("/haproxy-status;csv"))).Body).Rows[("app", "web1")]["status"] == "no check", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Page_AdminOnlyFromLocalhostButClientElsewhere_Denied()
    {
        var (lb, port, _) = await Start("    acl office src 10.0.0.0/8\n    stats admin if office", "    server web1 127.0.0.1:1");
        await using var _ = lb;
        Assert.DoesNotContain("<form method=\"post\">", Parse(await ExchangeAsync(port, Get("/haproxy-status"))).Body);
        const string form = "s=web1&action=maint&b=app";
        var post = $"POST /haproxy-status HTTP/1.1\r\nHost: test\r\nContent-Length: {form.Length}\r\nConnection: close\r\n\r\n{form}";
        var (status, headers, _) = Parse(await ExchangeAsync(port, post));
        Assert.Equal(303, status);
        Assert.Equal("/haproxy-status;st=DENY", headers["location"]);
        await Task.Delay(200);
        Assert.Equal("no check", ParseCsv(Parse(await ExchangeAsync(port, Get("/haproxy-status;csv"))).Body).Rows[("app", "web1")]["status"]);
    }

    [Fact]
    public async Task Page_KeepAliveClient_TwoPagesOnOneConnection()
    {
        var (lb, port, _) = await Start("", "    server web1 127.0.0.1:1");
        await using var _ = lb;
        using var client = await RawConnection.ConnectAsync(port);
        for (int i = 0; i < 2; i++)
        {
            await client.SendAsync("GET /haproxy-status;csv HTTP/1.1\r\nHost: test\r\n\r\n");
            var head = Encoding.Latin1.GetString((await client.ReadHeadAsync(TimeSpan.FromSeconds(5)))!);
            Assert.StartsWith("HTTP/1.1 200", head);
            Assert.DoesNotContain("connection: close", head);
            int length = int.Parse(head.Split("\r\n").First(l => l.StartsWith("content-length:", StringComparison.Ordinal))[15..]);
            var body = new byte[length];
            int read = 0;
            while (read < length) read += await client.ReadIntoAsync(body.AsMemory(read), TimeSpan.FromSeconds(5));
            Assert.StartsWith("# pxname", Encoding.Latin1.GetString(body));
        }
    }

    [Fact]
    public async Task Page_ServerDownByCheck_RowIsRed()
    {
        var (lb, port, _) = await Start("", $"    server web1 127.0.0.1:{FreePort()} check inter 200 fall 1");
        await using var _ = lb;
        Assert.True(await WaitUntilAsync(async () =>
            Parse(await ExchangeAsync(port, Get("/haproxy-status"))).Body.Contains("<tr class=\"active_down\">"), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Page_PostWhoseBodyNeverComes_ClosedAtTheRequestTimeout()
    {
        var (lb, port, _) = await Start("    stats admin if TRUE\n    timeout http-request 300ms", "    server web1 127.0.0.1:1");
        await using var _ = lb;
        var started = DateTime.UtcNow;
        // The head announces 100 bytes of form, 6 come: the answer waits for the rest, up to the timeout.
        var answer = await ExchangeAsync(port, "POST /haproxy-status HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\ns=web1", TimeSpan.FromSeconds(10));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), $"closed after {DateTime.UtcNow - started}, answer: {answer}");
        Assert.DoesNotContain("303", answer);
        Assert.Equal("no check", ParseCsv(Parse(await ExchangeAsync(port, Get("/haproxy-status;csv"))).Body).Rows[("app", "web1")]["status"]);
    }
}
