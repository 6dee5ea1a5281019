using Lb.Config;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Config;

public class DefaultsInheritanceTests
{
    private static LbConfig Parse(string text)
    {
        var r = ConfigLoader.LoadText(text, "t.cfg");
        Assert.True(r.Success, string.Join("\n", r.Alerts));
        return r.Config!;
    }

    [Fact]
    public void LaterDefaults_ReplaceEarlierForFollowingSections()
    {
        var c = Parse("""
            defaults
                mode http
                timeout connect 1s
                timeout server 10s
                option redispatch
            backend first
                server s 127.0.0.1:80
            defaults
                mode tcp
                timeout connect 2s
            backend second
                server s 127.0.0.1:80
            """);
        var first = c.FindBackend("first")!;
        var second = c.FindBackend("second")!;
        Assert.Equal(ProxyMode.Http, first.Mode);
        Assert.Equal(TimeSpan.FromSeconds(1), first.Timeouts.Connect);
        Assert.True(first.HasOption("redispatch"));
        Assert.Equal(ProxyMode.Tcp, second.Mode);
        Assert.Equal(TimeSpan.FromSeconds(2), second.Timeouts.Connect);
        Assert.Null(second.Timeouts.Server);
        Assert.False(second.HasOption("redispatch"));
    }

    [Fact]
    public void NamedDefaults_SelectedWithFrom()
    {
        var c = Parse("""
            defaults web
                mode http
                timeout client 7s
            defaults db
                mode tcp
                timeout client 9s
            frontend fe from web
                bind 127.0.0.1:8080
            frontend fe2
                bind 127.0.0.1:8081
            defaults child from web
                option httplog
            frontend fe3
                bind 127.0.0.1:8082
            """);
        Assert.Equal(ProxyMode.Http, c.FindProxy("fe")!.Mode);
        Assert.Equal(TimeSpan.FromSeconds(7), c.FindProxy("fe")!.Timeouts.Client);
        Assert.Equal(ProxyMode.Tcp, c.FindProxy("fe2")!.Mode);
        var fe3 = c.FindProxy("fe3")!;
        Assert.Equal(ProxyMode.Http, fe3.Mode);
        Assert.True(fe3.HasOption("httplog"));
    }

    [Fact]
    public void NoOption_CancelsInheritedOption()
    {
        var c = Parse("""
            defaults
                option redispatch
                option dontlognull
            backend b
                no option redispatch
            """);
        var b = c.FindBackend("b")!;
        Assert.False(b.HasOption("redispatch"));
        Assert.True(b.HasOption("dontlognull"));
    }

    [Fact]
    public void HttpConnectionModes_LastOneWins()
    {
        var c = Parse("""
            defaults
                mode http
                option httpclose
            backend b
                option http-server-close
            backend c
            """);
        Assert.True(c.FindBackend("b")!.HasOption("http-server-close"));
        Assert.False(c.FindBackend("b")!.HasOption("httpclose"));
        Assert.True(c.FindBackend("c")!.HasOption("httpclose"));
    }

    [Fact]
    public void DefaultServer_AppliesToLaterServersOnly()
    {
        var c = Parse("""
            backend b
                server early 127.0.0.1:1
                default-server inter 3s fall 5 check
                server s1 127.0.0.1:2
                server s2 127.0.0.1:3 no-check fall 2
            """);
        var b = c.FindBackend("b")!;
        Assert.False(b.Servers[0].Check);
        Assert.Equal(TimeSpan.FromSeconds(2), b.Servers[0].Inter);
        Assert.True(b.Servers[1].Check);
        Assert.Equal(TimeSpan.FromSeconds(3), b.Servers[1].Inter);
        Assert.Equal(5, b.Servers[1].Fall);
        Assert.False(b.Servers[2].Check);
        Assert.Equal(2, b.Servers[2].Fall);
    }

    [Fact]
    public void ServerDefaults_AreHaproxys()
    {
        var s = Parse("backend b\n server s 127.0.0.1:80 check").FindBackend("b")!.Servers[0];
        Assert.Equal(TimeSpan.FromSeconds(2), s.Inter);
        Assert.Equal(2, s.Rise);
        Assert.Equal(3, s.Fall);
        Assert.Equal(1, s.Weight);
        Assert.Equal(3, Parse("backend b").FindBackend("b")!.Retries);
    }

    [Fact]
    public void DefaultsBackend_IsInheritedByFrontends()
    {
        var c = Parse("""
            defaults
                default_backend app
            frontend fe
                bind 127.0.0.1:80
            backend app
            """);
        Assert.Equal("app", c.FindProxy("fe")!.DefaultBackend);
    }

    [Fact]
    public void FrontendAndBackend_MayShareAName()
    {
        var c = Parse("""
            frontend www
                bind 127.0.0.1:80
                default_backend www
            backend www
            """);
        Assert.Equal(2, c.Proxies.Length);
    }
}
