using Xunit;

namespace Lb.Tests.DataPlane;

/// <summary>mode http connection management: keep-alive, server-close, httpclose, HTTP/1.0, pipelining, bodiless responses.</summary>
public sealed class HttpConnectionTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;

    public HttpConnectionTests(ProxyFixture fx) => _fx = fx;

    [Fact]
    public async Task KeepAlive_FiveRequestsOnOneClientConnection_ReuseOneServerConnection()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        for (int i = 1; i <= 5; i++)
        {
            await c.SendAsync(Handlers.Get($"/ka/{i}"));
            var r = await c.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.Equal("HTTP/1.1", r.Version);
            Assert.Equal($"GET /ka/{i} conn=1 req={i} len=0", r.BodyText);
            Assert.False(r.ConnectionHas("close"), $"response {i}: {r}");
        }
        Assert.True(await c.StaysOpenAsync(TimeSpan.FromMilliseconds(300)), "client connection closed after keep-alive requests");
        Assert.Equal(1, srv.Accepts);
    }

    [Fact]
    public async Task HttpServerClose_ThreeRequests_ClientKeptAndOneServerConnectionPerRequest()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv), "    option http-server-close"));

        using var c = await RawConnection.ConnectAsync(fe);
        for (int i = 1; i <= 3; i++)
        {
            await c.SendAsync(Handlers.Get($"/sc/{i}"));
            var r = await c.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.StartsWith($"GET /sc/{i} conn={i} req=1 ", r.BodyText);
            Assert.False(r.ConnectionHas("close"), $"response {i}: {r}");
        }
        Assert.True(await c.StaysOpenAsync(TimeSpan.FromMilliseconds(300)), "http-server-close closed the client side");
        Assert.Equal(3, srv.Accepts);
    }

    [Fact]
    public async Task HttpClose_OneRequest_ResponseSaysCloseAndSocketCloses()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv), "    option httpclose"));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/once"));
        var r = await c.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.True(r.ConnectionHas("close"), $"no 'Connection: close' in {r}");
        var (rest, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(2));
        Assert.Empty(rest);
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Fact]
    public async Task Http10_NoKeepAlive_ResponseSaysCloseAndSocketCloses()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("GET /old HTTP/1.0\r\n\r\n");
        var r = await c.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.StartsWith("GET /old ", r.BodyText);
        Assert.True(r.ConnectionHas("close"), $"haproxy says 'connection: close' to an HTTP/1.0 client it closes: {r}");
        var (rest, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(2));
        Assert.Empty(rest);
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Fact]
    public async Task Http10_KeepAliveRequested_ResponseSaysKeepAliveAndSocketStaysOpen()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        for (int i = 1; i <= 2; i++)
        {
            await c.SendAsync($"GET /old/{i} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var r = await c.ReadResponseAsync();
            Assert.Equal(200, r.Status);
            Assert.StartsWith($"GET /old/{i} ", r.BodyText);
            Assert.True(r.ConnectionHas("keep-alive"), $"response {i}: {r}");
        }
        Assert.True(await c.StaysOpenAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Pipelined_TwoRequestsInOneWrite_TwoResponsesInOrder()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/first") + Handlers.Get("/second"));
        var r1 = await c.ReadResponseAsync();
        var r2 = await c.ReadResponseAsync();
        Assert.Equal("GET /first conn=1 req=1 len=0", r1.BodyText);
        Assert.Equal("GET /second conn=1 req=2 len=0", r2.BodyText);
        Assert.True(await c.StaysOpenAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(1, srv.Accepts);
    }

    [Fact]
    public async Task NoBodyResponses_HeadThen204Then304_NoBodyAndConnectionsReused()
    {
        await using var srv = TestServer.Start("s1", async c =>
        {
            for (int k = 0; k < 100; k++)
            {
                var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
                if (req is null) return;
                await c.SendAsync(req.Target switch
                {
                    // HEAD: the length of the body a GET would get, and no body.
                    "/head" => "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/plain\r\n\r\n",
                    "/204" => "HTTP/1.1 204 No Content\r\nX-Seq: 2\r\n\r\n",
                    // A 304 may carry the Content-Length of the full entity; it still has no body.
                    "/304" => "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\nETag: \"v1\"\r\n\r\n",
                    _ => Handlers.Response200($"after conn={c.Index}"),
                });
            }
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("HEAD /head HTTP/1.1\r\nHost: test\r\n\r\n");
        var head = await c.ReadResponseAsync("HEAD");
        Assert.Equal(200, head.Status);
        Assert.Equal(1234, head.ContentLength);

        await c.SendAsync(Handlers.Get("/204"));
        var r204 = await c.ReadResponseAsync();
        Assert.Equal(204, r204.Status);
        Assert.Equal("2", r204.Header("X-Seq"));

        await c.SendAsync(Handlers.Get("/304"));
        var r304 = await c.ReadResponseAsync();
        Assert.Equal(304, r304.Status);
        Assert.Equal("\"v1\"", r304.Header("ETag"));

        // Had any of them been given a body, this response would be garbled or late.
        await c.SendAsync(Handlers.Get("/after"));
        var after = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, after.Status);
        Assert.Equal("after conn=1", after.BodyText);
        Assert.Equal(0, c.Buffered);
        Assert.Equal(1, srv.Accepts);
    }

    /// <summary>/idle-close: answers keep-alive, then closes after 100 ms idle; /until-close: no length, body ends with the connection; /server-close: says Connection: close.</summary>
    private static async Task ClosingServer(RawConnection c)
    {
        for (int k = 1; k <= 100; k++)
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            switch (req.Target)
            {
                case "/idle-close":
                    await c.SendAsync(Handlers.Response200($"idle-close conn={c.Index}"));
                    await Task.Delay(100);
                    return; // a server's keep-alive timeout, shorter than the client's pause
                case "/until-close":
                    await c.SendAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close conn={c.Index}");
                    return;
                case "/vanish":
                    return; // closes without answering
                case "/server-close":
                    await c.SendAsync($"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                    return;
                default:
                    await c.SendAsync(Handlers.Response200($"{req.Target} conn={c.Index}"));
                    break;
            }
        }
    }

    [Fact]
    public async Task ServerClosesIdleKeepAliveConnection_NextRequest_ServedOnNewServerConnection()
    {
        await using var srv = TestServer.Start("s1", ClosingServer);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/idle-close"));
        Assert.Equal("idle-close conn=1", (await c.ReadResponseAsync()).BodyText);
        Assert.True(await srv.WaitForAcceptsAsync(1, TimeSpan.FromSeconds(1)));
        await Task.Delay(400); // the server has closed its side meanwhile

        await c.SendAsync(Handlers.Get("/next"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, r.Status);
        Assert.Equal("/next conn=2", r.BodyText);
    }

    [Fact]
    public async Task ServerSaysConnectionClose_ClientKeptAlive_NextRequestOnNewServerConnection()
    {
        await using var srv = TestServer.Start("s1", ClosingServer);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/server-close"));
        var first = await c.ReadResponseAsync();
        Assert.Equal("ok", first.BodyText);
        Assert.False(first.ConnectionHas("close"), $"the client side stays keep-alive: {first}");
        await c.SendAsync(Handlers.Get("/next"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal("/next conn=2", r.BodyText);
    }

    [Fact]
    public async Task UntilCloseResponse_NoLength_ForwardedWithConnectionCloseThenFin()
    {
        await using var srv = TestServer.Start("s1", ClosingServer);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/until-close"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, r.Status);
        Assert.True(r.ConnectionHas("close"), r.ToString());
        Assert.Null(r.ContentLength);
        Assert.False(r.IsChunked);
        Assert.Equal("body until close conn=1", r.BodyText);
        Assert.Equal(CloseKind.Fin, r.ClosedBy);
    }

    [Fact]
    public async Task ClientHalfClosesAfterRequest_ResponseStillDeliveredThenFin()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/then-fin"));
        c.ShutdownSend(); // like 'printf ... | nc'
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, r.Status);
        Assert.StartsWith("GET /then-fin ", r.BodyText);
        var (rest, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(2));
        Assert.Empty(rest);
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Fact]
    public async Task Pipelined_TwoPostsWithBodiesInOneWrite_BothForwardedInOrder()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(
            "POST /p1 HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello" +
            "POST /p2 HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" +
            Handlers.Get("/p3"));
        Assert.Equal("POST /p1 conn=1 req=1 len=5", (await c.ReadResponseAsync()).BodyText);
        Assert.Equal("POST /p2 conn=1 req=2 len=3", (await c.ReadResponseAsync()).BodyText);
        Assert.Equal("GET /p3 conn=1 req=3 len=0", (await c.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task ServerClosesWithoutAnswering_SecondRequestOnConnection_ClientClosedSilently()
    {
        // haproxy answers 502 only to the first request of a connection; on a later one it closes
        // the client connection without a response, so that the client may retry it.
        await using var srv = TestServer.Start("s1", ClosingServer);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/first"));
        Assert.Equal("/first conn=1", (await c.ReadResponseAsync()).BodyText);
        await c.SendAsync(Handlers.Get("/vanish"));
        var (data, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(3));
        Assert.Equal("", Bytes.Latin1(data));
        Assert.Equal(CloseKind.Fin, kind);
    }
}
