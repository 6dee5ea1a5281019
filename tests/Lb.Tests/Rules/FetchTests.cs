using Lb.Actors.Rules.Actions;
using Xunit;
using static Lb.Tests.Rules.RulesRig;

namespace Lb.Tests.Rules;

/// <summary>Each fetch, through an ACL that sends matching requests to b1 (others go to b2).</summary>
public class FetchTests
{
    private static string Route(string acl, string request, string client = "10.1.2.3:40000")
    {
        var rig = ForFrontend($"""
            acl a {acl}
            use_backend b1 if a
            default_backend b2
            """);
        Assert.Empty(rig.Warnings);
        return rig.Run(request, client).Backend!;
    }

    [Theory]
    [InlineData("hdr(host) -i www.example.com", "www.example.com", "b1")]
    [InlineData("hdr(host) -i WWW.EXAMPLE.COM", "www.example.com", "b1")]
    [InlineData("hdr(host) www.example.com", "WWW.example.com", "b2")]
    [InlineData("hdr_beg(host) -i www.", "www.example.com", "b1")]
    [InlineData("hdr_end(host) -i .com", "www.example.com", "b1")]
    [InlineData("hdr_sub(host) ample", "www.example.com", "b1")]
    [InlineData("hdr_dom(host) example", "www.example.com", "b1")]
    [InlineData("hdr_reg(host) ^w+\\.", "www.example.com", "b1")]
    [InlineData("hdr_len(host) 15", "www.example.com", "b1")]
    [InlineData("req.hdr(host) -m beg www", "www.example.com", "b1")]
    [InlineData("hdr(host) -m found", "x", "b1")]
    public void Hdr_HostVariants(string acl, string host, string expected)
    {
        Assert.Equal(expected, Route(acl, Req(host, "/")));
    }

    [Fact]
    public void Hdr_CommaSeparatedValuesAndEveryLine_AreEachTested()
    {
        const string acl = "hdr(x-tag) blue";
        Assert.Equal("b1", Route(acl, Get("/", "X-Tag: red, blue\r\n")));
        Assert.Equal("b1", Route(acl, Get("/", "X-Tag: red\r\nX-Tag: blue\r\n")));
        Assert.Equal("b2", Route(acl, Get("/", "X-Tag: \"red, blue\"\r\n")));
        Assert.Equal("b1", Route("req.fhdr(x-tag) -m str red,\\ blue", Get("/", "X-Tag: red, blue\r\n")));
    }

    [Fact]
    public void Hdr_Occurrence_PicksOneValue()
    {
        Assert.Equal("b1", Route("hdr(x-tag,1) red", Get("/", "X-Tag: red, blue\r\n")));
        Assert.Equal("b2", Route("hdr(x-tag,1) blue", Get("/", "X-Tag: red, blue\r\n")));
        Assert.Equal("b1", Route("hdr(x-tag,-1) blue", Get("/", "X-Tag: red, blue\r\n")));
    }

    [Theory]
    [InlineData("hdr_cnt(x-tag) 3", "X-Tag: a, b\r\nX-Tag: c\r\n", "b1")]
    [InlineData("req.fhdr_cnt(x-tag) 2", "X-Tag: a, b\r\nX-Tag: c\r\n", "b1")]
    [InlineData("hdr_cnt(x-tag) 0", "", "b1")]
    [InlineData("hdr_val(x-n) gt 10", "X-N: 11\r\n", "b1")]
    [InlineData("hdr_val(x-n) gt 10", "X-N: 9\r\n", "b2")]
    [InlineData("hdr_ip(x-forwarded-for) 10.0.0.0/8", "X-Forwarded-For: 192.168.0.1, 10.4.4.4\r\n", "b1")]
    [InlineData("hdr_ip(x-forwarded-for) 10.0.0.0/8", "X-Forwarded-For: junk\r\n", "b2")]
    [InlineData("hdr_reg(User-Agent) -i iphone android", "User-Agent: Mozilla/5.0 (Linux; Android 13)\r\n", "b1")]
    [InlineData("hdr_reg(User-Agent) -i iphone android", "User-Agent: curl/8\r\n", "b2")]
    public void HeaderCountsValuesAddresses(string acl, string headers, string expected)
    {
        Assert.Equal(expected, Route(acl, Get("/", headers)));
    }

    [Theory]
    [InlineData("path /a/b", "/a/b?x=1", "b1")]
    [InlineData("path /a/b", "http://h.example/a/b?x=1", "b1")]
    [InlineData("path_beg /static /images", "/images/x.gif", "b1")]
    [InlineData("path_end .php .css", "/site.css", "b1")]
    [InlineData("path_end .php .css", "/site.CSS", "b2")]
    [InlineData("path_end -i .php .css", "/site.CSS", "b1")]
    [InlineData("path_sub admin", "/x/admin/y", "b1")]
    [InlineData("path_dir img", "/static/img/a.png", "b1")]
    [InlineData("path_dom example", "/www.example.com/", "b1")]
    [InlineData("path_reg ^/$", "/", "b1")]
    [InlineData("path_reg ^/$", "/?q=1", "b1")]
    [InlineData("path_len 1", "/", "b1")]
    [InlineData("url /a?b=1", "/a?b=1", "b1")]
    [InlineData("url_beg /a?", "/a?b=1", "b1")]
    [InlineData("url_end b=1", "/a?b=1", "b1")]
    [InlineData("url_sub ?b", "/a?b=1", "b1")]
    [InlineData("url_reg -i ^/xxx", "/XXX/list", "b1")]
    [InlineData("url_reg /*.php$", "/index.php", "b1")]
    [InlineData("url_reg /*.php$", "/index.php?x", "b2")]
    [InlineData("url_dom h.example", "http://h.example/x", "b1")]
    [InlineData("url_len 6", "/a?b=1", "b1")]
    [InlineData("query b=1&c=2", "/a?b=1&c=2", "b1")]
    [InlineData("query -m found", "/a", "b2")]
    [InlineData("query -m len 0", "/a?", "b1")]
    [InlineData("url_param(userid) alice", "/a?x=1&userid=alice", "b1")]
    [InlineData("urlp(userid) -m found", "/a?userid", "b1")]
    [InlineData("url_param(userid) alice", "/userid=alice", "b2")]
    [InlineData("url_param(id,;) 7", "/a?x=1;id=7", "b1")]
    [InlineData("urlp_val(n) ge 5", "/a?n=5", "b1")]
    [InlineData("url_port 8080", "http://h.example:8080/x", "b1")]
    [InlineData("url_ip 10.0.0.0/8", "http://10.1.1.1/x", "b1")]
    public void PathAndUrl(string acl, string target, string expected)
    {
        var host = target.StartsWith("http://", StringComparison.Ordinal) ? target[7..].Split('/')[0] : "www.example.com";
        Assert.Equal(expected, Route(acl, Req(host, target)));
    }

    [Theory]
    [InlineData("base www.example.com/a/b", "/a/b?x=1", "b1")]
    [InlineData("base_beg www.example.com/a", "/a/b", "b1")]
    [InlineData("base_reg ^www\\.example\\.com/a$", "/a?q", "b1")]
    public void Base_HostAndPath(string acl, string target, string expected)
    {
        Assert.Equal(expected, Route(acl, Get(target)));
    }

    [Theory]
    [InlineData("cook(SID) abc", "Cookie: a=1; SID=abc\r\n", "b1")]
    [InlineData("req.cook(SID) -m beg ab", "Cookie: SID=abc\r\n", "b1")]
    [InlineData("cook(SID) abc", "Cookie: SIDX=abc\r\n", "b2")]
    [InlineData("cook(SID) -m found", "Cookie: a=1\r\nCookie: SID=\r\n", "b1")]
    [InlineData("cook_cnt(SID) 2", "Cookie: SID=1; SID=2\r\n", "b1")]
    [InlineData("cook_val(n) gt 3", "Cookie: n=4\r\n", "b1")]
    public void Cookies(string acl, string headers, string expected)
    {
        Assert.Equal(expected, Route(acl, Get("/", headers)));
    }

    [Theory]
    [InlineData("method GET", "GET", "b1")]
    [InlineData("method POST PUT", "PUT", "b1")]
    [InlineData("method POST PUT", "GET", "b2")]
    [InlineData("method PURGE", "PURGE", "b1")]
    [InlineData("method -i purge", "PURGE", "b1")]
    public void Method(string acl, string method, string expected)
    {
        Assert.Equal(expected, Route(acl, $"{method} / HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    [Fact]
    public void ReqVer_Versions()
    {
        Assert.Equal("b1", Route("req.ver 1.0", "GET / HTTP/1.0\r\n\r\n"));
        Assert.Equal("b2", Route("req.ver 1.0", "GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        Assert.Equal("b1", Route("req_ver 1.1", "GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    [Theory]
    [InlineData("src 10.0.0.0/8", "10.1.2.3:40000", "b1")]
    [InlineData("src 10.0.0.0/8 192.168.0.0/16", "192.168.7.7:40000", "b1")]
    [InlineData("src 10.0.0.0/8", "172.16.0.1:40000", "b2")]
    [InlineData("src -f /dev/null", "10.1.2.3:40000", "b2")]
    [InlineData("src_port ge 40000", "10.1.2.3:40000", "b1")]
    [InlineData("src_port lt 1024", "10.1.2.3:40000", "b2")]
    [InlineData("dst 127.0.0.1", "10.1.2.3:40000", "b1")]
    [InlineData("dst_port 8080", "10.1.2.3:40000", "b1")]
    [InlineData("dst_port 80 443", "10.1.2.3:40000", "b2")]
    public void Layer4(string acl, string client, string expected)
    {
        Assert.Equal(expected, Route(acl, Get("/"), client));
    }

    [Fact]
    public void Nbsrv_BeConn_ReadTheSnapshot()
    {
        Assert.Equal("b1", Route("nbsrv(b1) eq 1", Get("/")));
        Assert.Equal("b1", Route("nbsrv(b4) eq 1", Get("/"))); // its only server is a backup: 1
        Assert.Equal("b1", Route("be_conn(b1) eq 0", Get("/")));
        Assert.Equal("b1", Route("queue(b1) 0", Get("/")));
        Assert.Equal("b1", Route("fe_conn 0", Get("/")));
    }

    [Fact]
    public void Constants_AndConverters()
    {
        Assert.Equal("b1", Route("always_true", Get("/")));
        Assert.Equal("b2", Route("always_false", Get("/")));
        Assert.Equal("b1", Route("int(5) gt 4", Get("/")));
        Assert.Equal("b1", Route("str(abc) abc", Get("/")));
        Assert.Equal("b1", Route("hdr(host),lower www.example.com", Req("WWW.Example.COM", "/")));
        Assert.Equal("b1", Route("path,upper /A", Get("/a")));
        Assert.Equal("b1", Route("fe_name fe", Get("/")));
    }

    [Fact]
    public void PatternFile_OnePatternPerLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# hosts\nexample.org\nwww.example.com\n");
            Assert.Equal("b1", Route($"hdr(host) -i -f {file}", Req("WWW.EXAMPLE.COM", "/")));
            Assert.Equal("b2", Route($"hdr(host) -f {file}", Req("other", "/")));
            Assert.Equal("b1", Route($"hdr(host) -f {file} other", Req("other", "/")));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void ResponseFetches_InHttpResponseRules()
    {
        var rig = ForFrontend("""
            http-response set-header X-Status %[status] if { status 404 }
            http-response set-header X-Srv %[res.hdr(x-server)] if { res.hdr(x-server) -m beg s } { res.ver 1.1 }
            http-response set-header X-Count %[res.hdr_cnt(x-a)] if { shdr_cnt(x-a) ge 2 }
            http-response set-header X-Cookie %[res.cook(sid)] if { res.cook(sid) -m found }
            default_backend b1
            """);
        var session = rig.Session();
        Assert.Equal(RuleResult.Continue, session.OnRequest(Lb.Tests.Http.HttpTestData.ParseRequest(Get("/")), Lb.Actors.Http.ConnectionHeader.None));
        var response = Lb.Tests.Http.HttpTestData.ParseResponse("HTTP/1.1 404 Not Found\r\nX-Server: s1\r\nX-A: 1\r\nX-A: 2\r\nSet-Cookie: sid=42; path=/\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(RuleResult.Continue, session.OnResponse(response, Lb.Actors.Http.ConnectionHeader.None));
        Assert.Equal("404", response.GetValue("x-status"));
        Assert.Equal("s1", response.GetValue("x-srv"));
        Assert.Equal("2", response.GetValue("x-count"));
        Assert.Equal("42", response.GetValue("x-cookie"));
    }
}
