using System.Net;
using Lb.Actors.Http;
using Lb.Config;
using Lb.Config.Model;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

/// <summary>What haproxy 2.6.12's server saw, captured with a raw backend (see the comments).</summary>
public class ForwardedForTests
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.1");

    private static LbConfig Load(string body)
    {
        var r = ConfigLoader.LoadText("defaults\n    mode http\n" + body);
        Assert.True(r.Success, string.Join("\n", r.Diagnostics));
        return r.Config!;
    }

    private static string Forward(ForwardedFor? ff, string request, IPAddress source)
    {
        using var req = ParseRequest(request);
        ff?.Apply(req, source);
        return req.ToString();
    }

    private const string Plain = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    private const string WithXff = "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n";

    [Fact]
    public void Apply_ClientSentHeader_NewLineAppended()
    {
        // haproxy: "x-forwarded-for: 203.0.113.7" then "x-forwarded-for: 127.0.0.1".
        var cfg = Load("frontend fe\n    bind :80\n    option forwardfor\n    default_backend app\nbackend app\n    server s1 127.0.0.1:81\n");
        var ff = ForwardedFor.For(cfg.FindProxy("fe"), cfg.FindBackend("app"));
        using var req = ParseRequest(WithXff);
        Assert.True(ff!.Apply(req, Client));
        Assert.Equal("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n", req.ToString());
        Assert.Equal("203.0.113.7, 127.0.0.1", req.GetJoinedValues("x-forwarded-for"));
    }

    [Fact]
    public void Apply_NoHeader_SourceAddressAdded()
    {
        var ff = ForwardedFor.FromArgs([]);
        Assert.Equal("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.7\r\n\r\n", Forward(ff, Plain, IPAddress.Parse("127.0.0.7")));
    }

    [Theory]
    [InlineData("except 127.0.0.0/8", "127.0.0.1", false)]
    [InlineData("except 127.0.0.1", "127.0.0.1", false)]
    [InlineData("except 127.0.0.1", "127.0.0.7", true)]
    [InlineData("except 10.0.0.0/255.0.0.0", "10.9.8.7", false)]
    [InlineData("except 10.1.2.3/8", "10.9.8.7", false)]
    [InlineData("except 10.0.0.0/8", "11.0.0.1", true)]
    [InlineData("except ::1/128", "::1", false)]
    [InlineData("except 127.0.0.0/8", "::ffff:127.0.0.1", false)]
    public void Apply_Except_SkipsMatchingSources(string args, string source, bool added)
    {
        var ff = ForwardedFor.FromArgs(args.Split(' '));
        using var req = ParseRequest(Plain);
        Assert.Equal(added, ff.Apply(req, IPAddress.Parse(source)));
        Assert.Equal(added, req.Contains("x-forwarded-for"));
    }

    [Fact]
    public void Apply_IfNone_OnlyWhenAbsent()
    {
        // haproxy with if-none: the client's header alone; without one: 127.0.0.1.
        var ff = ForwardedFor.FromArgs(["if-none"]);
        Assert.Equal(WithXff, Forward(ff, WithXff, Client));
        Assert.Equal("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n", Forward(ff, Plain, Client));
    }

    [Fact]
    public void Apply_HeaderName_UsesItAndLeavesXffAlone()
    {
        // haproxy: "x-forwarded-for: 203.0.113.7" kept, "x-real-ip: 127.0.0.1" appended.
        var ff = ForwardedFor.FromArgs(["header", "X-Real-IP"]);
        Assert.Equal("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\nX-Real-IP: 127.0.0.1\r\n\r\n", Forward(ff, WithXff, Client));
    }

    [Fact]
    public void For_BackendOptionOnly_BackendHeaderName()
    {
        // The acceptance scenario: fe_real has no option, app_real has 'header X-REAL-IP'.
        var cfg = Load("frontend fe_real\n    bind :80\n    default_backend app_real\nbackend app_real\n    option forwardfor header X-REAL-IP\n    server s2 127.0.0.1:81\n");
        var ff = ForwardedFor.For(cfg.FindProxy("fe_real"), cfg.FindBackend("app_real"));
        Assert.Equal("X-REAL-IP", ff!.HeaderName);
        var forwarded = Forward(ff, Plain, Client);
        Assert.Contains("X-REAL-IP: 127.0.0.1\r\n", forwarded);
        Assert.DoesNotContain("X-Forwarded-For", forwarded);
    }

    [Fact]
    public void For_NeitherProxy_Null()
    {
        var cfg = Load("frontend fe\n    bind :80\n    default_backend app\nbackend app\n    server s1 127.0.0.1:81\n");
        Assert.Null(ForwardedFor.For(cfg.FindProxy("fe"), cfg.FindBackend("app")));
    }

    [Fact]
    public void For_FrontendNameBackendWithoutName_FrontendName()
    {
        var cfg = Load("frontend fe\n    bind :80\n    option forwardfor header X-Client if-none\n    default_backend app\nbackend app\n    option forwardfor except 10.0.0.0/8\n    server s1 127.0.0.1:81\n");
        var ff = ForwardedFor.For(cfg.FindProxy("fe"), cfg.FindBackend("app"))!;
        Assert.Equal("X-Client", ff.HeaderName);
        Assert.False(ff.IfNone);   // the backend enables it without if-none
        Assert.True(ff.IsExcepted(IPAddress.Parse("10.1.1.1")));
    }

    [Fact]
    public void For_ListenSection_SameProxyBothSides()
    {
        var cfg = Load("listen web\n    bind :80\n    option forwardfor if-none\n    server s1 127.0.0.1:81\n");
        var web = cfg.FindProxy("web");
        var ff = ForwardedFor.For(web, web)!;
        Assert.True(ff.IfNone);
        Assert.Equal(ForwardedFor.DefaultHeader, ff.HeaderName);
    }

    [Fact]
    public void Apply_Ipv6Source_TextForm()
    {
        var ff = ForwardedFor.FromArgs([]);
        Assert.Contains("X-Forwarded-For: 2001:db8::1\r\n", Forward(ff, Plain, IPAddress.Parse("2001:db8::1")));
    }
}
