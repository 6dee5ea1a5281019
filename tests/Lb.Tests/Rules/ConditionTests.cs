using Lb.Actors.Rules;
using Lb.Config;
using Lb.Config.Diagnostics;
using Xunit;
using static Lb.Tests.Rules.RulesRig;

namespace Lb.Tests.Rules;

public class ConditionTests
{
    private static RulesRig Rig(string lines) => ForFrontend(lines + "\ndefault_backend b2");

    [Fact]
    public void SameNameOnSeveralLines_Ored()
    {
        var rig = Rig("""
            acl static path_beg /static
            acl static path_end .css
            use_backend b1 if static
            """);
        Assert.Equal("b1", rig.Run(Get("/static/x")).Backend);
        Assert.Equal("b1", rig.Run(Get("/site.css")).Backend);
        Assert.Equal("b2", rig.Run(Get("/x.js")).Backend);
    }

    [Fact]
    public void TermsSideBySide_Anded_OrSeparatesGroups()
    {
        var rig = Rig("""
            acl host_a hdr(host) a.example
            acl img path_beg /img
            acl api path_beg /api
            use_backend b1 if host_a img || api
            use_backend b3 if host_a or { path /x }
            """);
        Assert.Equal("b1", rig.Run(Req("a.example", "/img/1")).Backend);
        Assert.Equal("b3", rig.Run(Req("a.example", "/other")).Backend);
        Assert.Equal("b1", rig.Run(Req("b.example", "/api/v1")).Backend);
        Assert.Equal("b2", rig.Run(Req("b.example", "/img/1")).Backend);
        Assert.Equal("b3", rig.Run(Req("b.example", "/x")).Backend);
    }

    [Fact]
    public void Negation_AndUnless()
    {
        var rig = Rig("""
            acl www hdr_beg(host) -i www.
            use_backend b1 if !www
            use_backend b3 unless www
            """);
        Assert.Equal("b1", rig.Run(Req("other.example", "/")).Backend);
        Assert.Equal("b2", rig.Run(Req("www.example", "/")).Backend);
        var unless = Rig("""
            acl www hdr_beg(host) -i www.
            acl api path_beg /api
            use_backend b3 unless www api
            """);
        Assert.Equal("b3", unless.Run(Req("www.example", "/x")).Backend);
        Assert.Equal("b2", unless.Run(Req("www.example", "/api")).Backend);
    }

    [Fact]
    public void MissingHeader_NegatedTermHolds()
    {
        var rig = Rig("""
            acl has_tag hdr(x-tag) -m found
            use_backend b1 if !has_tag
            """);
        Assert.Equal("b1", rig.Run(Get("/")).Backend);
        Assert.Equal("b2", rig.Run(Get("/", "X-Tag: 1\r\n")).Backend);
    }

    [Fact]
    public void AnonymousAcls_WithFlags()
    {
        var rig = Rig("""
            use_backend b1 if { hdr(host) -i -m end .cn } !{ path_beg /public }
            use_backend b3 if { src 10.0.0.0/8 } { method POST }
            """);
        Assert.Equal("b1", rig.Run(Req("SHOP.EXAMPLE.CN", "/x")).Backend);
        Assert.Equal("b2", rig.Run(Req("shop.example.cn", "/public/x")).Backend);
        Assert.Equal("b3", rig.Run("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").Backend);
        Assert.Equal("b2", rig.Run("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", client: "192.168.1.1:5000").Backend);
    }

    [Theory]
    [InlineData("TRUE", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("FALSE", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b2")]
    [InlineData("HTTP", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("LOCALHOST", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "127.0.0.5:1", "b1")]
    [InlineData("LOCALHOST", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b2")]
    [InlineData("METH_GET", "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("METH_GET", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", "10.0.0.1:1", "b2")]
    [InlineData("METH_POST", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("METH_DELETE", "DELETE / HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("METH_OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("HTTP_1.0", "GET / HTTP/1.0\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("HTTP_1.1", "GET / HTTP/1.0\r\n\r\n", "10.0.0.1:1", "b2")]
    [InlineData("HTTP_URL_ABS", "GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("HTTP_URL_SLASH", "GET /x HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("HTTP_URL_STAR", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("HTTP_CONTENT", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n", "10.0.0.1:1", "b1")]
    [InlineData("HTTP_CONTENT", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", "10.0.0.1:1", "b2")]
    public void PredefinedAcls(string acl, string request, string client, string expected)
    {
        var rig = Rig($"use_backend b1 if {acl}");
        Assert.Equal(expected, rig.Run(request, client).Backend);
    }

    [Fact]
    public void UserAcl_ShadowsPredefinedOfSameName()
    {
        var rig = Rig("""
            acl LOCALHOST src 10.0.0.0/8
            use_backend b1 if LOCALHOST
            """);
        Assert.Equal("b1", rig.Run(Get("/"), "10.9.9.9:1").Backend);
    }

    [Fact]
    public void FirstMatchingUseBackendWins_ThenDefault()
    {
        var rig = Rig("""
            use_backend b1 if { path_beg /a }
            use_backend b3 if { path_beg /a/b }
            """);
        Assert.Equal("b1", rig.Run(Get("/a/b")).Backend);
        Assert.Equal("b2", rig.Run(Get("/c")).Backend);
    }

    [Fact]
    public void UnconditionalUseBackend_Wins()
    {
        var rig = Rig("use_backend b3");
        Assert.Equal("b3", rig.Run(Get("/")).Backend);
    }

    [Fact]
    public void DynamicBackendName_ResolvedPerRequest_UnknownFallsBackToDefault()
    {
        var rig = Rig("use_backend %[req.hdr(x-be),lower]");
        Assert.Equal("b3", rig.Run(Get("/", "X-Be: B3\r\n")).Backend);
        Assert.Equal("b2", rig.Run(Get("/", "X-Be: nope\r\n")).Backend);
    }

    [Fact]
    public void NoDefaultBackend_NoMatch_NoBackend()
    {
        var rig = ForFrontend("use_backend b1 if { path /x }");
        Assert.Null(rig.Run(Get("/")).Backend);
        Assert.Equal("b1", rig.Run(Get("/x")).Backend);
    }

    [Fact]
    public void RequestFetchInResponseRule_WarnsAndNeverMatches()
    {
        var rig = Rig("http-response set-header X-Never 1 if { path / }");
        Assert.Contains(rig.Warnings, w => w.Contains("will never match") && w.Contains("http-response"));
        var session = rig.Session();
        session.OnRequest(Lb.Tests.Http.HttpTestData.ParseRequest(Get("/")), Lb.Actors.Http.ConnectionHeader.None);
        var response = Lb.Tests.Http.HttpTestData.ParseResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        session.OnResponse(response, Lb.Actors.Http.ConnectionHeader.None);
        Assert.Null(response.GetValue("x-never"));
    }

    [Fact]
    public void UnsupportedFetch_WarnsWithLocation_AclNeverMatches()
    {
        var rig = Rig("""
            acl tls ssl_fc
            use_backend b1 if tls
            """);
        Assert.Contains(rig.Warnings, w => w.Contains("haproxy.cfg:") && w.Contains("ssl_fc") && w.Contains("never matches"));
        Assert.Equal("b2", rig.Run(Get("/")).Backend);
    }

    [Fact]
    public void NoPatterns_WarnsLikeHaproxy()
    {
        var rig = Rig("""
            acl nothing hdr(host)
            use_backend b1 if nothing
            """);
        Assert.Contains(rig.Warnings, w => w.Contains("no pattern to match against were provided"));
        Assert.Equal("b2", rig.Run(Get("/")).Backend);
    }

    [Fact]
    public void CompiledCondition_UsableByOtherFeatures()
    {
        var loaded = ConfigLoader.LoadText("""
            defaults
                mode http
            backend be
                acl api path_beg /api
                use-server s1 if api !{ src 10.0.0.0/8 }
                server s1 127.0.0.1:9001
            """);
        Assert.True(loaded.Config != null, string.Join("\n", loaded.Alerts));
        var proxy = loaded.Config!.FindProxy("be")!;
        var c = new RuleCompilation(proxy, null);
        var condition = c.Compile(proxy.UseServers[0].Condition, RuleStage.Request, new SourceLocation("x", 1), "use-server rule")!;
        var request = Lb.Tests.Http.HttpTestData.ParseRequest(Get("/api/x"));
        Assert.True(condition.Matches(new RuleContext(System.Net.IPEndPoint.Parse("192.168.0.1:1"), null, request)));
        Assert.False(condition.Matches(new RuleContext(System.Net.IPEndPoint.Parse("10.0.0.1:1"), null, request)));
        Assert.Empty(c.Warnings);
    }

    [Fact]
    public void Evaluation_AllocatesNothing()
    {
        var rig = Rig("""
            acl host_a hdr(host) -i a.example b.example c.example
            acl img path_beg /img /static
            acl mobile hdr_reg(User-Agent) -i iphone android
            acl net src 10.0.0.0/8
            acl q url_param(id) -m found
            use_backend b1 if host_a img || mobile
            use_backend b3 if net !q { path_end .php }
            """);
        var session = rig.Session();
        var request = Lb.Tests.Http.HttpTestData.ParseRequest("GET /x/index.php?a=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0 (X11)\r\n\r\n");
        for (int i = 0; i < 100; i++) session.OnRequest(request, Lb.Actors.Http.ConnectionHeader.None);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) session.OnRequest(request, Lb.Actors.Http.ConnectionHeader.None);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("b3", session.Backend!.Name);
    }
}

public class RuleCheckTests
{
    [Fact]
    public void ConfigCheck_ReportsRuleWarnings_StillValid()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lb-rulecheck-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var cfg = Path.Combine(dir, "haproxy.cfg");
            File.WriteAllText(cfg, """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                frontend fe
                    bind 127.0.0.1:8080
                    acl tls ssl_fc
                    http-request deny if !tls
                    default_backend be
                backend be
                    server s1 127.0.0.1:9001

                """);
            var err = new StringWriter();
            var output = new StringWriter();
            Assert.Equal(0, Lb.Node.ConfigCheck.Run([cfg], new Lb.Node.NodeConsole(output, err, 42)));
            Assert.Contains("[WARNING]  (42) : config : parsing [", err.ToString());
            Assert.Contains("ssl_fc", err.ToString());
            Assert.Equal("Warnings were found.\nConfiguration file is valid\n", output.ToString().Replace("\r\n", "\n"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
