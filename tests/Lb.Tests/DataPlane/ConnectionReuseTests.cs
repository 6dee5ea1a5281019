using Xunit;

namespace Lb.Tests.DataPlane;

/// <summary>
/// Server connection reuse across client sessions ('http-reuse', the servers' idle pools) with
/// per-request balancing. The connection numbers in the expectations are those haproxy 2.6.12
/// gives (run with LB_DATAPLANE_PROXY=haproxy to see it again).
/// </summary>
public sealed class ConnectionReuseTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;

    public ConnectionReuseTests(ProxyFixture fx) => _fx = fx;

    /// <summary>Keep-alive HTTP server: "NAME conn=N req=K" (connection number on this server, request on it).</summary>
    private static TestServer Named(string name, TimeSpan? closeIdleAfter = null, bool dropSecondRequest = false) =>
        TestServer.Start(name, async c =>
        {
            for (int k = 1; k <= 1000; k++)
            {
                HttpMessage? req;
                if (closeIdleAfter is { } idle && k > 1)
                {
                    // Closes a connection left idle that long, as servers with a short keep-alive timeout do.
                    var next = c.ReadRequestAsync(Handlers.ServerReadTimeout);
                    if (await Task.WhenAny(next, Task.Delay(idle)) != next) return;
                    req = await next;
                }
                else req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
                if (req is null) return;
                if (dropSecondRequest && k == 2 && c.Index == 1) return; // reads it, closes without a word
                await c.SendAsync(Handlers.Response200($"{name} conn={c.Index} req={k}"));
            }
        });

    private static string Config(int fe, string backend) => $"""
        global
            nbthread 1

        defaults
            mode http
            timeout connect 2s
            timeout client 20s
            timeout server 20s

        frontend fe
            bind 127.0.0.1:{fe}
            default_backend be

        backend be
        {backend}

        """;

    private static async Task<string[]> KeepAliveAsync(int fe, int requests, TimeSpan? gap = null)
    {
        using var c = await RawConnection.ConnectAsync(fe);
        var bodies = new string[requests];
        for (int i = 0; i < requests; i++)
        {
            if (i > 0 && gap is { } g) await Task.Delay(g);
            await c.SendAsync(Handlers.Get($"/r{i}"));
            var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
            bodies[i] = r.Status == 200 ? r.BodyText : $"status {r.Status}";
        }
        return bodies;
    }

    [Fact]
    public async Task KeepAliveClients_RoundRobin_EveryRequestBalancedIdleConnectionsShared()
    {
        await using var s1 = Named("s1");
        await using var s2 = Named("s2");
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {s1.Address}\n    server s2 {s2.Address}"));
        Assert.Equal(["s1 conn=1 req=1", "s2 conn=1 req=1", "s1 conn=1 req=2", "s2 conn=1 req=2"], await KeepAliveAsync(fe, 4));
        // A new session's first request gets a connection of its own; its later ones take idle
        // ones, the first session's included ('http-reuse safe').
        Assert.Equal(["s1 conn=2 req=1", "s2 conn=1 req=3", "s1 conn=1 req=3", "s2 conn=1 req=4"], await KeepAliveAsync(fe, 4));
        Assert.Equal((2, 1), (s1.Accepts, s2.Accepts));
    }

    [Fact]
    public async Task IdleConnectionClosedByServer_NotReused_NextRequestOnNewConnection()
    {
        await using var s1 = Named("s1", closeIdleAfter: TimeSpan.FromMilliseconds(100));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {s1.Address}"));
        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/a"));
        Assert.Equal("s1 conn=1 req=1", (await c.ReadResponseAsync()).BodyText);
        await Task.Delay(500); // the server has closed the idle connection meanwhile
        await c.SendAsync(Handlers.Get("/b"));
        Assert.Equal("s1 conn=2 req=1", (await c.ReadResponseAsync()).BodyText);
        await c.SendAsync(Handlers.Get("/c"));
        Assert.Equal("s1 conn=2 req=2", (await c.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task PoolMaxConn0_NoIdleConnectionKept()
    {
        await using var s1 = Named("s1");
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {s1.Address} pool-max-conn 0"));
        Assert.Equal(["s1 conn=1 req=1", "s1 conn=2 req=1", "s1 conn=3 req=1"], await KeepAliveAsync(fe, 3));
    }

    [Fact]
    public async Task HttpReuseNever_SessionsKeepTheirOwnConnections()
    {
        await using var s1 = Named("s1");
        await using var s2 = Named("s2");
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    http-reuse never\n    server s1 {s1.Address}\n    server s2 {s2.Address}"));
        Assert.Equal(["s1 conn=1 req=1", "s2 conn=1 req=1", "s1 conn=1 req=2", "s2 conn=1 req=2"], await KeepAliveAsync(fe, 4));
        Assert.Equal(["s1 conn=2 req=1", "s2 conn=2 req=1", "s1 conn=2 req=2", "s2 conn=2 req=2"], await KeepAliveAsync(fe, 4));
    }

    [Fact]
    public async Task HttpReuseNever_PreferLastServer_SessionStaysOnItsServer()
    {
        await using var s1 = Named("s1");
        await using var s2 = Named("s2");
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    http-reuse never\n    option prefer-last-server\n    server s1 {s1.Address}\n    server s2 {s2.Address}"));
        Assert.Equal(["s1 conn=1 req=1", "s1 conn=1 req=2", "s1 conn=1 req=3"], await KeepAliveAsync(fe, 3));
        Assert.Equal(["s2 conn=1 req=1", "s2 conn=1 req=2", "s2 conn=1 req=3"], await KeepAliveAsync(fe, 3));
    }

    [Fact]
    public async Task PreferLastServer_WithSafeReuse_StillBalancesEachRequest()
    {
        // haproxy 2.6 only prefers a server the session holds a private connection to; with
        // 'http-reuse safe' the connections go back to the pools, so there is none.
        await using var s1 = Named("s1");
        await using var s2 = Named("s2");
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    option prefer-last-server\n    server s1 {s1.Address}\n    server s2 {s2.Address}"));
        Assert.Equal(["s1 conn=1 req=1", "s2 conn=1 req=1", "s1 conn=1 req=2"], await KeepAliveAsync(fe, 3));
    }

    [Fact]
    public async Task HttpReuseAlways_FirstRequestOfANewSessionTakesAnIdleConnection()
    {
        await using var s1 = Named("s1");
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    http-reuse always\n    server s1 {s1.Address}"));
        Assert.Equal(["s1 conn=1 req=1"], await KeepAliveAsync(fe, 1));
        Assert.Equal(["s1 conn=1 req=2"], await KeepAliveAsync(fe, 1));
        Assert.Equal(1, s1.Accepts);
    }

    [Fact]
    public async Task ReusedConnectionClosedBeforeAnswering_LbSendsTheRequestAgainOnANewConnection()
    {
        // haproxy 2.6 (retry-on connect-failure by default) closes the client connection here and
        // lets the client retry; Lb retries a bodiless request itself on a new connection.
        if (ProxyFixture.AgainstHaproxy) return;
        await using var s1 = Named("s1", dropSecondRequest: true);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {s1.Address}"));
        Assert.Equal(["s1 conn=1 req=1", "s1 conn=2 req=1", "s1 conn=2 req=2"], await KeepAliveAsync(fe, 3));
    }
}
