using Xunit;

namespace Lb.Tests.DataPlane;

/// <summary>frontend maxconn: connections above the limit wait (unanswered) until a session ends.</summary>
public sealed class MaxConnTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;

    public MaxConnTests(ProxyFixture fx) => _fx = fx;

    private static string Config(string mode, int fe, TestServer srv) => $"""
        defaults
            mode {mode}
            timeout connect 2s
            timeout client 20s
            timeout server 20s

        frontend fe
            bind 127.0.0.1:{fe}
            maxconn 2
            default_backend be

        backend be
            server s1 {srv.Address}

        """;

    [Fact]
    public async Task FrontendMaxconn2_ThreeTcpClients_ThirdServedAfterOneFinishes()
    {
        await using var srv = TestServer.Start("echo", Handlers.Echo);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config("tcp", fe, srv));

        using var a = await RawConnection.ConnectAsync(fe);
        using var b = await RawConnection.ConnectAsync(fe);
        await a.SendAsync("a\n");
        Assert.Equal("a", await a.ReadLineAsync());
        await b.SendAsync("b\n");
        Assert.Equal("b", await b.ReadLineAsync());

        using var c = await RawConnection.ConnectAsync(fe); // the kernel completes it; the proxy does not take it
        await c.SendAsync("c\n");
        Assert.False(await c.AnythingArrivesWithinAsync(TimeSpan.FromMilliseconds(500)), "third client served above maxconn 2");
        Assert.Equal(2, srv.Accepts);

        a.Dispose();
        Assert.Equal("c", await c.ReadLineAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(3, srv.Accepts);
        await b.SendAsync("b2\n");
        Assert.Equal("b2", await b.ReadLineAsync());
    }

    [Fact]
    public async Task FrontendMaxconn2_ThreeHttpClients_ThirdServedAfterOneFinishes()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config("http", fe, srv));

        using var a = await RawConnection.ConnectAsync(fe);
        using var b = await RawConnection.ConnectAsync(fe);
        await a.SendAsync(Handlers.Get("/a"));
        Assert.Equal(200, (await a.ReadResponseAsync()).Status);
        await b.SendAsync(Handlers.Get("/b"));
        Assert.Equal(200, (await b.ReadResponseAsync()).Status);

        // a and b stay connected (keep-alive): they hold both slots.
        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/c"));
        Assert.False(await c.AnythingArrivesWithinAsync(TimeSpan.FromMilliseconds(500)), "third client served above maxconn 2");
        Assert.Equal(2, srv.Accepts);

        a.Dispose();
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, r.Status);
        Assert.StartsWith("GET /c ", r.BodyText);
    }
}
