using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Rules;

[CollectionDefinition(RoutingDifferentialTests.Name, DisableParallelization = true)]
public sealed class RoutingDifferentialCollection;

/// <summary>
/// Real requests (Host, User-Agent, paths) through haproxy 2.6 and Lb on the same configs: the
/// seed article's content switching (07, 08, 09) and a frontend with every rule action. Each
/// response must be the same byte for byte (status line, headers, body = the head the server
/// received), and land where the config says.
/// </summary>
[Collection(Name)]
public sealed class RoutingDifferentialTests : IClassFixture<RoutingDifferentialFixture>
{
    public const string Name = "routing-differential";

    private readonly RoutingDifferentialFixture _fx;
    private readonly ITestOutputHelper _out;

    public RoutingDifferentialTests(RoutingDifferentialFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    private static string Get(string host, string path, string headers = "") =>
        $"GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n";

    private const string Iphone = "User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X)\r\n";
    private const string Android = "User-Agent: Mozilla/5.0 (Linux; Android 13; Pixel 7)\r\n";
    private const string Desktop = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0\r\n";

    /// <summary>Sends the request to both; asserts the same response and returns it.</summary>
    private async Task<string> Both(string frontend, string request, bool checkClose = false)
    {
        var (h, l) = _fx.Ports[frontend];
        var fromHaproxy = await RoutingDifferentialFixture.ExchangeAsync(h, request, checkClose);
        var fromLb = await RoutingDifferentialFixture.ExchangeAsync(l, request, checkClose);
        if (fromHaproxy != fromLb)
            _out.WriteLine($"--- {request.Split("\r\n")[0]}\nhaproxy:\n{fromHaproxy}\nLb:\n{fromLb}");
        Assert.Equal(fromHaproxy, fromLb);
        return fromLb;
    }

    private static void LandsOn(string response, string server) => Assert.Contains($"\r\nx-server: {server}\r\n", response, StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("abc.com", "/", "host-abc-com")]
    [InlineData("ABC.COM", "/x", "host-abc-com")]
    [InlineData("www.abc.com", "/index.html", "host-abc-com")]   // reqirep rewrote the Host first
    [InlineData("WWW.ABC.COM", "/", "host-abc-com")]
    [InlineData("shop.example.cn", "/", "host-cn")]
    [InlineData("SHOP.EXAMPLE.CN", "/a", "host-cn")]
    [InlineData("xzy.example.com", "/xxx/list", "host-xyz-url-xxx")]
    [InlineData("xzy.example.com", "/XXX", "host-xyz-url-xxx")]
    [InlineData("xzy.example.com", "/other", "default-servers")]
    [InlineData("www.example.org", "/xxx", "default-servers")]
    public async Task Seed07_HostSwitching(string host, string path, string server)
    {
        LandsOn(await Both("main", Get(host, path)), server);
    }

    [Theory]
    [InlineData("/index.php", "php_server")]
    [InlineData("/a/b/c.php", "php_server")]
    [InlineData("/index.php?x=1", "static_server")]
    [InlineData("/style.css", "static_server")]
    [InlineData("/img/logo.png", "static_server")]
    [InlineData("/invitec_pk.do", "b_yxpopo_com_pk")]
    [InlineData("/x/invitec_pk.do?id=3", "b_yxpopo_com_pk")]
    [InlineData("/", "static_server")]
    public async Task Seed08_SuffixSwitching(string path, string server)
    {
        LandsOn(await Both("web", Get("www.example.com", path)), server);
    }

    [Theory]
    [InlineData("club.jesse.com", "/static/a.js", Iphone, "http://3g.club.jesse.com/static/a.js")]
    [InlineData("club.jesse.com", "/big/pic.jpg?s=1", Android, "http://3g.club.jesse.com/big/pic.jpg?s=1")]
    [InlineData("club.jesse.com", "/", Android, "http://3g.club.jesse.com/")]
    [InlineData("CLUB.JESSE.COM", "/", Iphone, "http://3g.club.jesse.com/")]
    [InlineData("club.jesse.com", "/", Desktop, null)]
    [InlineData("club.jesse.com", "/static/a.js", Desktop, null)]
    [InlineData("club.jesse.com", "/forum", Iphone, null)]
    public async Task Seed09_UserAgentRedirects(string host, string path, string ua, string? location)
    {
        var r = await Both("club", Get(host, path, ua));
        if (location is null) LandsOn(r, "club_pool");
        else
        {
            Assert.StartsWith("HTTP/1.1 302 Found\r\n", r);
            Assert.Contains($"\r\nlocation: {location}\r\n", r);
        }
    }

    [Fact]
    public async Task Seed09_OtherHost_NoBackend503()
    {
        Assert.StartsWith("HTTP/1.1 503", await Both("club", Get("www.example.com", "/", Iphone)));
    }

    [Theory]
    [InlineData("/admin/x", "", "HTTP/1.1 403 Forbidden")]
    [InlineData("/admin/x", "X-Token: t\r\n", "HTTP/1.1 200 OK")]
    [InlineData("/limited", "", "HTTP/1.1 429 Too Many Requests")]
    [InlineData("/denystr", "", "HTTP/1.1 400 Bad Request")]
    [InlineData("/ret", "", "HTTP/1.1 201 Created")]
    [InlineData("/empty", "", "HTTP/1.1 204 No Content")]
    [InlineData("/teapot", "", "HTTP/1.1 418 I'm a teapot")]
    [InlineData("/private/x", "", "HTTP/1.1 401 Unauthorized")]
    [InlineData("/private/x", "Authorization: Basic eDp5\r\n", "HTTP/1.1 200 OK")]
    [InlineData("/private2", "", "HTTP/1.1 401 Unauthorized")]
    [InlineData("/members/x", "", "HTTP/1.1 401 Unauthorized")]
    [InlineData("/members/x", "Authorization: Basic Ym9iOndyb25n\r\n", "HTTP/1.1 401 Unauthorized")]
    [InlineData("/members/x", "Authorization: Basic Ym9iOnBsYWlu\r\n", "HTTP/1.1 200 OK")]
    [InlineData("/members/x", "Authorization: Basic YWxpY2U6czNjcmV0\r\n", "HTTP/1.1 200 OK")]
    [InlineData("/health-lb", "", "HTTP/1.1 200 OK")]
    [InlineData("/tarpit", "", "HTTP/1.1 500 Internal Server Error")]
    public async Task Rules_DenyReturnAuthTarpitMonitor(string path, string headers, string statusLine)
    {
        Assert.StartsWith(statusLine + "\r\n", await Both("rules", Get("h.example", path, headers)));
    }

    [Theory]
    [InlineData("/old-home", "HTTP/1.1 301 Moved Permanently", "/new-home")]
    [InlineData("/r303", "HTTP/1.1 303 See Other", "/r303")]
    [InlineData("/r307", "HTTP/1.1 307 Temporary Redirect", "/r307")]
    [InlineData("/r308", "HTTP/1.1 308 Permanent Redirect", "/r308")]
    [InlineData("/fmt/a?b=1", "HTTP/1.1 302 Found", "http://h.example/moved/fmt/a")]
    [InlineData("/secure/x?y=1", "HTTP/1.1 302 Found", "https://secure.example.com/secure/x")]
    [InlineData("/keepq/x?y=1", "HTTP/1.1 302 Found", "https://keep.example.com/keepq/x?y=1")]
    [InlineData("/tls/a?q", "HTTP/1.1 302 Found", "https://h.example/tls/a?q/")]
    [InlineData("/clear", "HTTP/1.1 302 Found", "https://h.example/clear")]
    [InlineData("/moved-old", "HTTP/1.1 302 Found", "/moved")]
    [InlineData("/self/x?a", "HTTP/1.1 302 Found", "/self/x?a")]
    [InlineData("/pfx/x?a", "HTTP/1.1 302 Found", "http://pfx.example/pfx/x/")]
    public async Task Rules_Redirects(string path, string statusLine, string location)
    {
        var r = await Both("rules", Get("h.example", path));
        Assert.StartsWith(statusLine + "\r\n", r);
        Assert.Contains($"\r\nlocation: {location}\r\n", r);
    }

    [Theory]
    [InlineData("/plain", "X-Remove-Me: 1\r\nX-Drop-A: 1\r\nx-drop-b: 2\r\nX-Replace: value-old\r\nX-List: a, b, a\r\n")]
    [InlineData("/api/users?id=3", "X-Token: tok\r\n")]
    [InlineData("/v1/api/x", "")]
    [InlineData("/q/x?a=1", "")]
    [InlineData("/q/y", "")]
    [InlineData("/noq/z?a=1", "")]
    [InlineData("/seturi", "")]
    [InlineData("/old/a/b?c=1", "")]
    [InlineData("/ru/x/y", "")]
    [InlineData("/method", "X-Method: put\r\n")]
    [InlineData("/allowed", "X-Remove-Me: stays\r\n")]
    [InlineData("/ua", Android)]
    [InlineData("/setstatus", "")]
    [InlineData("/denyme", "")]
    [InlineData("/dyn", "X-Dyn: other\r\n")]
    [InlineData("/dyn", "X-Dyn: nosuch\r\n")]
    [InlineData("/deny-in-backend", "X-Dyn: other\r\n")]
    [InlineData("/redirect-in-backend", "X-Dyn: other\r\n")]
    public async Task Rules_HeaderAndUriRewrites_SameRequestReachesTheServer(string path, string headers)
    {
        await Both("rules", Get("H.Example", path, headers));
    }

    [Fact]
    public async Task Rules_ResponseRules()
    {
        var r = await Both("rules", Get("h.example", "/plain"));
        Assert.Contains("\r\nx-resp: fe\r\n", r);
        Assert.DoesNotContain("x-powered", r);
        Assert.Contains("\r\nx-list-res: a,B, c\r\n", r);
        Assert.StartsWith("HTTP/1.1 502", await Both("rules", Get("h.example", "/denyme")));
        Assert.StartsWith("HTTP/1.1 299 Fine", await Both("rules", Get("h.example", "/x", "X-Dyn: other\r\n")));
    }

    [Theory]
    [InlineData("GET /admin HTTP/1.0\r\n\r\n")]
    [InlineData("GET /admin HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")]
    [InlineData("GET /admin HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")]
    [InlineData("POST /admin HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n")]
    [InlineData("POST /admin HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")]
    [InlineData("GET /r303 HTTP/1.0\r\n\r\n")]
    [InlineData("HEAD /ret HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET /ret HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")]
    [InlineData("GET /denyme HTTP/1.1\r\nHost: h\r\n\r\n")]
    public async Task Rules_ConnectionAfterAReply(string request)
    {
        await Both("rules", request, checkClose: true);
    }

    [Fact]
    public async Task Rules_SetStatus204_ServerBodyDropped_NextRequestServed()
    {
        var replies = new List<string>();
        foreach (var port in new[] { _fx.Ports["rules"].Haproxy, _fx.Ports["rules"].Lb })
        {
            using var c = await Lb.Tests.DataPlane.RawConnection.ConnectAsync(port);
            await c.SendAsync(Get("h.example", "/to204") + Get("h.example", "/plain"));
            var first = await c.ReadResponseAsync();
            var second = await c.ReadResponseAsync();
            replies.Add(first.HeadText + first.BodyText + second.HeadText + second.BodyText);
            Assert.Equal(204, first.Status);
            Assert.Null(first.ContentLength);
            Assert.Equal(200, second.Status);
        }
        Assert.Equal(replies[0], replies[1]);
    }

    [Fact]
    public async Task Rules_KeepAlive_ReplyThenForwardOnTheSameConnection()
    {
        foreach (var port in new[] { _fx.Ports["rules"].Haproxy, _fx.Ports["rules"].Lb })
        {
            using var c = await Lb.Tests.DataPlane.RawConnection.ConnectAsync(port);
            await c.SendAsync(Get("h.example", "/old-home") + Get("h.example", "/plain") + Get("h.example", "/admin"));
            Assert.Equal(301, (await c.ReadResponseAsync()).Status);
            Assert.Equal(200, (await c.ReadResponseAsync()).Status);
            Assert.Equal(403, (await c.ReadResponseAsync()).Status);
        }
    }
}
