using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Rules;
using Lb.Actors.Rules.Actions;
using Xunit;
using static Lb.Tests.Http.HttpTestData;
using static Lb.Tests.Rules.RulesRig;

namespace Lb.Tests.Rules;

/// <summary>Each http-request / http-response action on parsed heads (the byte-level comparison
/// with haproxy is in <see cref="RoutingDifferentialTests"/>).</summary>
public class ActionTests
{
    private static RulesRig Rig(string lines, string more = "") => ForFrontend(lines + "\ndefault_backend b1", more);

    private static string Response(RulesRig rig, string request, string response, out RuleResult result)
    {
        var session = rig.Session();
        Assert.Equal(RuleResult.Continue, session.OnRequest(ParseRequest(request), ConnectionHeader.None));
        var head = ParseResponse(response);
        result = session.OnResponse(head, ConnectionHeader.None);
        return result == RuleResult.Reply ? Encoding.Latin1.GetString(session.Outcome.Reply!) : head.ToString();
    }

    private const string Ok = "HTTP/1.1 200 OK\r\nX-Server: s1\r\nX-List: a, b\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public void SetHeader_ReplacesEveryLine_ValueReadBeforeRemoval()
    {
        var r = Rig("http-request set-header X-A %[req.hdr(x-a)]-seen").Run(Get("/", "X-A: 1\r\nX-A: 2\r\n"));
        Assert.Equal("2-seen", r.Request.GetJoinedValues("x-a"));
    }

    [Fact]
    public void AddHeader_AppendsAfterTheOthers()
    {
        var r = Rig("http-request add-header X-A new").Run(Get("/", "X-A: old\r\n"));
        Assert.Equal("old, new", r.Request.GetJoinedValues("x-a"));
        Assert.EndsWith("X-A: old\r\nX-A: new\r\n\r\n", r.RequestText);
    }

    [Theory]
    [InlineData("http-request del-header x-drop", "x-keep")]
    [InlineData("http-request del-header X-Dr -m beg", "x-keep")]
    [InlineData("http-request del-header rop -m end", "x-keep")]
    [InlineData("http-request del-header dro -m sub", "x-keep")]
    [InlineData("http-request del-header ^x-d.*p$ -m reg", "x-keep")]
    public void DelHeader_MatchMethodsOnTheName(string rule, string remaining)
    {
        var r = Rig(rule).Run(Get("/", "X-Drop: 1\r\nx-DROP: 2\r\nX-Keep: 3\r\n"));
        Assert.Null(r.Request.GetValue("x-drop"));
        Assert.NotNull(r.Request.GetValue(remaining));
    }

    [Fact]
    public void ReplaceHeader_WholeValue_ReplaceValue_EachValue()
    {
        var r = Rig("""
            http-request replace-header X-Host ^(.*)\.old\.com$ \1.new.com
            http-request replace-value X-List ^a(.*) A\1
            """).Run(Get("/", "X-Host: www.old.com\r\nX-List: ab, b,ac\r\n"));
        Assert.Equal("www.new.com", r.Request.GetValue("x-host"));
        Assert.Equal("Ab, b,Ac", r.Request.GetValue("x-list"));
    }

    [Fact]
    public void UriActions_KeepWhatTheyDoNotReplace()
    {
        Assert.Equal("GET /new?a=1 HTTP/1.1", Line(Rig("http-request set-path /new").Run(Get("/old?a=1"))));
        Assert.Equal("GET http://h.example/new?a=1 HTTP/1.1", Line(Rig("http-request set-path /new").Run(Req("h.example", "http://h.example/old?a=1"))));
        Assert.Equal("GET /p?x=2 HTTP/1.1", Line(Rig("http-request set-query x=2").Run(Get("/p?a=1"))));
        Assert.Equal("GET /p?x=2 HTTP/1.1", Line(Rig("http-request set-query x=2").Run(Get("/p"))));
        Assert.Equal("GET /p?x=1 HTTP/1.1", Line(Rig("http-request set-pathq /p?x=1").Run(Get("/a/b?c"))));
        Assert.Equal("GET /all HTTP/1.1", Line(Rig("http-request set-uri /all").Run(Get("/a/b?c"))));
        Assert.Equal("PURGE /a HTTP/1.1", Line(Rig("http-request set-method PURGE").Run(Get("/a"))));
        Assert.Equal("GET /v2/x?q HTTP/1.1", Line(Rig(@"http-request replace-path /v1/(.*) /v2/\1").Run(Get("/v1/x?q"))));
        Assert.Equal("GET /b?q HTTP/1.1", Line(Rig(@"http-request replace-uri ^/a(.*) /b\1").Run(Get("/a?q"))));
        Assert.Equal("GET /zz HTTP/1.1", Line(Rig(@"http-request replace-pathq ^/y.* /zz").Run(Get("/y?q=1"))));
    }

    [Fact]
    public void SetMethod_ChangesTheMethodKindToo()
    {
        var r = Rig("""
            http-request set-method POST
            http-request set-header X-Post 1 if METH_POST
            """).Run(Get("/"));
        Assert.Equal(RequestMethod.Post, r.Request.Method);
        Assert.Equal("1", r.Request.GetValue("x-post"));
    }

    private static string Line(Outcome o) => o.RequestText.Split("\r\n")[0];

    [Fact]
    public void Deny_DefaultPage_DenyStatus_AndErrorfileOverride()
    {
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\ncontent-length: 93\r\n", Rig("http-request deny").Run(Get("/")).Reply);
        Assert.StartsWith("HTTP/1.1 429 Too Many Requests\r\n", Rig("http-request deny deny_status 429").Run(Get("/")).Reply);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\ngo away\n");
            var r = Rig($"errorfile 403 {file}\nhttp-request deny").Run(Get("/"));
            Assert.Equal("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\ngo away\n", r.Reply);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Deny_ConnectionHeaderAsTheSessionAsks()
    {
        var rig = Rig("http-request deny");
        Assert.Contains("\r\nconnection: close\r\n\r\n", rig.Run(Get("/"), connection: ConnectionHeader.Close).Reply);
        Assert.Contains("\r\nconnection: keep-alive\r\n\r\n", rig.Run(Get("/"), connection: ConnectionHeader.KeepAlive).Reply);
        Assert.True(rig.Run(Get("/"), connection: ConnectionHeader.Close).Session.Outcome.CloseAfterReply);
    }

    [Fact]
    public void Tarpit_DelayIsTimeoutTarpitElseConnect()
    {
        var r = Rig("timeout tarpit 3s\nhttp-request tarpit").Run(Get("/"));
        Assert.Equal(RuleResult.Tarpit, r.Result);
        Assert.Equal(TimeSpan.FromSeconds(3), r.Session.Outcome.TarpitDelay);
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", r.Reply);
        var fallback = Rig("http-request tarpit deny_status 403").Run(Get("/"));
        Assert.Equal(TimeSpan.FromSeconds(1), fallback.Session.Outcome.TarpitDelay); // timeout connect 1s
        Assert.StartsWith("HTTP/1.1 403", fallback.Reply);
    }

    [Fact]
    public void Return_StringFileHeadersAndFormats()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from file\n");
            var rig = Rig($$"""
                http-request return status 200 content-type text/plain file {{file}} if { path /f }
                http-request return content-type text/plain lf-string "you are %[src]" hdr X-Path %[path] if { path /lf }
                http-request return status 503 default-errorfiles if { path /err }
                """);
            Assert.Equal("HTTP/1.1 200 OK\r\ncontent-length: 10\r\ncontent-type: text/plain\r\n\r\nfrom file\n", rig.Run(Get("/f")).Reply);
            Assert.Equal("HTTP/1.1 200 OK\r\nx-path: /lf\r\ncontent-length: 16\r\ncontent-type: text/plain\r\n\r\nyou are 10.1.2.3", rig.Run(Get("/lf")).Reply);
            Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\n", rig.Run(Get("/err")).Reply);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Auth_401WithRealm_DefaultRealmIsTheProxyName()
    {
        Assert.Contains("\r\nwww-authenticate: Basic realm=\"Admins\"\r\n\r\n", Rig("http-request auth realm Admins").Run(Get("/")).Reply);
        var closing = Rig("http-request auth").Run(Get("/"), connection: ConnectionHeader.Close).Reply!;
        Assert.Contains("\r\nwww-authenticate: Basic realm=\"fe\"\r\nconnection: close\r\n\r\n", closing);
    }

    [Theory]
    [InlineData("redirect location /x code 301", "/a?b", "HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: /x\r\n\r\n")]
    [InlineData("redirect location /x code 308", "/a?b", "HTTP/1.1 308 Permanent Redirect\r\ncontent-length: 0\r\nlocation: /x\r\n\r\n")]
    [InlineData("redirect location /x", "/a?b", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: /x\r\ncache-control: no-cache\r\n\r\n")]
    [InlineData("redirect prefix https://n.example", "/a?b", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://n.example/a?b\r\ncache-control: no-cache\r\n\r\n")]
    [InlineData("redirect prefix https://n.example drop-query", "/a?b", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://n.example/a\r\ncache-control: no-cache\r\n\r\n")]
    [InlineData("redirect prefix / append-slash code 303", "/a", "HTTP/1.1 303 See Other\r\ncontent-length: 0\r\nlocation: /a/\r\ncache-control: no-cache\r\n\r\n")]
    [InlineData("redirect scheme https code 307 set-cookie A=1", "/a?b", "HTTP/1.1 307 Temporary Redirect\r\ncontent-length: 0\r\nlocation: https://www.example.com/a?b\r\ncache-control: no-cache\r\nset-cookie: A=1; path=/;\r\n\r\n")]
    [InlineData("redirect scheme https clear-cookie B=", "/a", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://www.example.com/a\r\ncache-control: no-cache\r\nset-cookie: B=; path=/; Max-Age=0;\r\n\r\n")]
    [InlineData("http-request redirect location https://%[req.hdr(host)]%[path]", "/a?b", "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://www.example.com/a\r\ncache-control: no-cache\r\n\r\n")]
    public void Redirect_LocationsAndOptions(string rule, string target, string expected)
    {
        Assert.Equal(expected, Rig(rule).Run(Get(target)).Reply);
    }

    [Fact]
    public void Redirect_IgnoreEmpty_SkipsTheRule()
    {
        var r = Rig("http-request redirect location %[req.hdr(x-to)] ignore-empty").Run(Get("/"));
        Assert.Equal(RuleResult.Continue, r.Result);
        Assert.Equal("b1", r.Backend);
    }

    [Fact]
    public void Order_HttpRequestRulesThenRedirectsThenSwitching()
    {
        var rig = Rig("""
            redirect location /r if { path /a }
            http-request set-path /a if { path /b }
            use_backend b2 if { path /c }
            http-request set-path /c if { path /d }
            """);
        Assert.StartsWith("HTTP/1.1 302", rig.Run(Get("/b")).Reply);  // rewritten before the redirects run
        Assert.Equal("b2", rig.Run(Get("/d")).Backend);              // rewritten before use_backend
    }

    [Fact]
    public void Allow_StopsOnlyThisProxysRules()
    {
        var rig = Rig("""
            http-request allow if { path /ok }
            http-request deny
            use_backend b3 if { path /ok }
            """, """
            backend b3
                http-request set-header X-Backend b3
                server s3 127.0.0.1:9003
            """.Replace("backend b3\n", "backend b3x\n"));
        var r = rig.Run(Get("/ok"));
        Assert.Equal("b3", r.Backend);
        Assert.StartsWith("HTTP/1.1 403", rig.Run(Get("/other")).Reply);
    }

    [Fact]
    public void BackendRules_RunAfterSwitching_WithTheBackendsErrorfiles()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nbe");
            var rig = ForFrontend("use_backend b5\n", $$"""
                backend b5
                    errorfile 403 {{file}}
                    http-request set-header X-Be b5
                    http-request deny if { path /no }
                    server s5 127.0.0.1:9005
                """);
            var ok = rig.Run(Get("/yes"));
            Assert.Equal("b5", ok.Backend);
            Assert.Equal("b5", ok.Request.GetValue("x-be"));
            Assert.Equal("HTTP/1.1 403 Forbidden\r\ncontent-length: 2\r\n\r\nbe", rig.Run(Get("/no")).Reply);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void HttpResponse_HeaderActions_SetStatus_BackendThenFrontend()
    {
        var rig = ForFrontend("""
            http-response set-header X-Order fe
            http-response add-header X-Seen %[res.hdr(x-order)]
            http-response del-header X-Server
            http-response replace-value X-List ^b$ B
            http-response set-status 299
            use_backend b6
            """, """
            backend b6
                http-response set-header X-Order be
                http-response allow
                http-response set-header X-Never 1
                server s6 127.0.0.1:9006
            """);
        var text = Response(rig, Get("/"), Ok, out var result);
        Assert.Equal(RuleResult.Continue, result);
        Assert.StartsWith("HTTP/1.1 299 Success\r\n", text);
        Assert.Contains("X-Order: fe\r\n", text);
        Assert.Contains("X-Seen: fe\r\n", text);
        Assert.Contains("X-List: a,B\r\n", text);
        Assert.DoesNotContain("X-Server", text);
        Assert.DoesNotContain("X-Never", text);
    }

    [Fact]
    public void HttpResponse_DenyAndReturn_ReplaceTheResponse()
    {
        var text = Response(Rig("http-response deny if { status 200 }"), Get("/"), Ok, out var result);
        Assert.Equal(RuleResult.Reply, result);
        Assert.StartsWith("HTTP/1.1 502 Bad Gateway\r\n", text);
        text = Response(Rig("http-response return status 404 content-type text/plain string gone if { res.hdr(x-server) s1 }"), Get("/"), Ok, out _);
        Assert.Equal("HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\ncontent-type: text/plain\r\n\r\ngone", text);
    }

    [Fact]
    public void MonitorUri_ExactTarget_200Page()
    {
        var rig = Rig("monitor-uri /up");
        Assert.StartsWith("HTTP/1.1 200 OK\r\ncontent-length: 58\r\n", rig.Run(Get("/up")).Reply);
        Assert.Equal("b1", rig.Run(Get("/up?x")).Backend);
    }

    [Fact]
    public void StatsPage_AnsweredAfterTheHttpRequestRules()
    {
        var rig = Rig("stats enable\nstats uri /st\nhttp-request deny if { path /st } { src 192.168.0.0/16 }");
        var r = rig.Run(Get("/st;csv"));
        Assert.Equal(RuleResult.Service, r.Result);
        // A keep-alive client keeps its connection after the page; a closing one gets "connection: close".
        var bytes = r.Session.Outcome.Service!.Respond(new RuleContext(null, null, r.Request), ConnectionHeader.None, out bool close);
        Assert.False(close);
        Assert.Contains("# pxname,svname", Encoding.Latin1.GetString(bytes));
        var closing = Encoding.Latin1.GetString(r.Session.Outcome.Service!.Respond(new RuleContext(null, null, r.Request), ConnectionHeader.Close, out close));
        Assert.True(close);
        Assert.Contains("\r\nconnection: close\r\n", closing);
        Assert.StartsWith("HTTP/1.1 403", rig.Run(Get("/st"), client: "192.168.1.1:1000").Reply);
    }

    private sealed class EchoService : IHttpService
    {
        public byte[] Respond(in RuleContext ctx, ConnectionHeader connection, out bool close)
        {
            close = false;
            var body = ctx.Request!.TargetString();
            return Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\ncontent-length: {body.Length}\r\n\r\n{body}");
        }
    }

    [Fact]
    public void UseService_RegisteredByName_UnknownWarns()
    {
        HttpServices.Register("test-echo", (_, _) => new EchoService());
        var rig = Rig("http-request use-service test-echo if { path_beg /svc }\nhttp-request use-service no-such-service");
        Assert.Contains(rig.Warnings, w => w.Contains("no-such-service"));
        var r = rig.Run(Get("/svc/x"));
        Assert.Equal(RuleResult.Service, r.Result);
        Assert.EndsWith("/svc/x", Encoding.Latin1.GetString(r.Session.Outcome.Service!.Respond(new RuleContext(null, null, r.Request), ConnectionHeader.None, out _)));
        Assert.Equal("b1", rig.Run(Get("/other")).Backend);
    }

    [Fact]
    public void UnsupportedAction_WarnedAndSkipped()
    {
        var rig = Rig("http-request set-var(txn.x) str(1)\nhttp-request set-header X-After 1");
        Assert.Contains(rig.Warnings, w => w.Contains("set-var(txn.x)") && w.Contains("not supported"));
        Assert.Equal("1", rig.Run(Get("/")).Request.GetValue("x-after"));
    }

    [Fact]
    public void Legacy_RequestKeywords_TranslatedAndApplied()
    {
        var rig = Rig("""
            reqirep ^Host:\ www.abc.com Host:\ abc.com
            reqadd X-Added:\ yes
            reqdel ^X-Secret:.*
            reqidel ^X-Debug:\ on
            block if { path_beg /blocked }
            use_backend b2 if { hdr(host) abc.com }
            """);
        var r = rig.Run(Req("WWW.ABC.COM", "/", "X-Secret: s\r\nX-Debug: ON\r\nX-Debug: keep\r\n"));
        Assert.Equal("b2", r.Backend);
        Assert.Equal("abc.com", r.Request.GetValue("host"));
        Assert.Equal("yes", r.Request.GetValue("x-added"));
        Assert.Null(r.Request.GetValue("x-secret"));
        Assert.Equal("keep", r.Request.GetJoinedValues("x-debug"));
        Assert.StartsWith("HTTP/1.1 403 Forbidden", rig.Run(Get("/blocked")).Reply);
    }

    [Fact]
    public void Legacy_ResponseKeywords_TranslatedAndApplied()
    {
        var rig = Rig("""
            rspadd X-Frame-Options:\ DENY
            rspdel ^X-Server:.*
            rspirep ^X-List:\ a(.*) X-List:\ z
            """);
        var text = Response(rig, Get("/"), Ok, out _);
        Assert.Contains("X-Frame-Options: DENY\r\n", text);
        Assert.DoesNotContain("X-Server", text);
        Assert.Contains("X-List: z\r\n", text); // 1.x replaced the whole matched line part: "a(.*)" took ", b" too
    }

    [Fact]
    public void Rules_NoAllocationForHeaderRulesWithConstantValues()
    {
        var rig = Rig("""
            http-request set-header X-A 1
            http-request del-header X-B
            http-request set-header X-Ip %[src]
            """);
        var session = rig.Session();
        var parser = HttpHeadParser.ForRequests();
        var bytes = B(Get("/", "X-B: 1\r\n"));
        void Once()
        {
            parser.Feed(bytes);
            using var r = parser.TakeRequest();
            session.OnRequest(r, ConnectionHeader.None);
        }
        for (int i = 0; i < 100; i++) Once();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Once();
        long per = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
        Assert.True(per < 400, $"{per} bytes per request (the parsed head alone is ~300)");
    }
}
