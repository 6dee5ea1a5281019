using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Lb.Tests.DataPlane;

/// <summary>mode http bodies: Content-Length and chunked (extensions, trailers), 100-continue, upgrade tunnels.</summary>
public sealed class HttpBodyTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;

    public HttpBodyTests(ProxyFixture fx) => _fx = fx;

    /// <summary>Answers 200 with "len=N sha=HEX" of the decoded request body; records each request.</summary>
    private static Func<RawConnection, Task> Digest(TaskCompletionSource<HttpMessage>? first = null) => async c =>
    {
        for (int k = 1; k <= 100; k++)
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            first?.TrySetResult(req);
            await c.SendAsync(Handlers.Response200($"{req.Method} {req.Target} conn={c.Index} req={k} len={req.Body.Length} sha={Bytes.Sha256(req.Body)}"));
        }
    };

    [Fact]
    public async Task ContentLengthPost_1MiBRandomBody_ForwardedExactly()
    {
        var seen = new TaskCompletionSource<HttpMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var srv = TestServer.Start("s1", Digest(seen));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        var body = Bytes.Random(1 << 20, seed: 11);
        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync($"POST /upload HTTP/1.1\r\nHost: test\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n\r\n");
        for (int off = 0; off < body.Length; off += 100_000)
            await c.SendAsync(body.AsMemory(off, Math.Min(100_000, body.Length - off)));
        var r = await c.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.Equal($"POST /upload conn=1 req=1 len={body.Length} sha={Bytes.Sha256(body)}", r.BodyText);
        var atServer = await seen.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(body.Length.ToString(), atServer.Header("Content-Length"));

        // Nothing of the body leaked into the next request on the same server connection.
        await c.SendAsync(Handlers.Get("/next"));
        var next = await c.ReadResponseAsync();
        Assert.StartsWith("GET /next conn=1 req=2 len=0 ", next.BodyText);
    }

    [Fact]
    public async Task ChunkedRequest_ExtensionsAndTrailers_BodyAndTrailersForwarded()
    {
        var seen = new TaskCompletionSource<HttpMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var srv = TestServer.Start("s1", Digest(seen));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        var big = Bytes.Random(40_960, seed: 12);
        var expected = Encoding.ASCII.GetBytes("hello").Concat(big).Concat(Encoding.ASCII.GetBytes("abc")).ToArray();
        var sum = Bytes.Sha256(expected);
        using var c = await RawConnection.ConnectAsync(fe);
        // Written in pieces that cut through a size line, a chunk's data and the trailers.
        await c.SendAsync("POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum, X-Note\r\n\r\n5;name=val;q=\"x y\"\r\nhello\r\nA0");
        await Task.Delay(20);
        await c.SendAsync("00\r\n");
        await c.SendAsync(big.AsMemory(0, 10_000));
        await Task.Delay(20);
        await c.SendAsync(big.AsMemory(10_000));
        await c.SendAsync("\r\n3;ext\r\nabc\r\n0;last=1\r\nX-Checksum: " + sum);
        await Task.Delay(20);
        await c.SendAsync("\r\nX-Note: two words\r\n\r\n");

        var r = await c.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.Equal($"POST /chunked conn=1 req=1 len={expected.Length} sha={sum}", r.BodyText);
        var atServer = await seen.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(atServer.IsChunked, $"server got {atServer}");
        Bytes.AssertEqual(expected, atServer.Body, "decoded request body at the server");
        // haproxy 2.6 re-chunks and drops chunk extensions; trailer names may come lower-cased.
        Assert.Equal(
            new[] { ("x-checksum", sum), ("x-note", "two words") },
            atServer.Trailers.Select(t => (t.Key.ToLowerInvariant(), t.Value)).ToArray());

        await c.SendAsync(Handlers.Get("/next"));
        var next = await c.ReadResponseAsync();
        Assert.StartsWith("GET /next conn=1 req=2 len=0 ", next.BodyText);
    }

    [Fact]
    public async Task ChunkedResponse_Trailers_ForwardedIntact()
    {
        var big = Bytes.Random(30_000, seed: 13);
        await using var srv = TestServer.Start("s1", async c =>
        {
            for (int k = 1; k <= 10; k++)
            {
                var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
                if (req is null) return;
                if (req.Target != "/chunked")
                {
                    await c.SendAsync(Handlers.Response200($"plain conn={c.Index}"));
                    continue;
                }
                await c.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum, X-Other\r\n\r\n5;ext=1\r\nhello\r\n");
                await Task.Delay(20);
                await c.SendAsync($"{big.Length:X}\r\n");
                await c.SendAsync(big);
                await c.SendAsync("\r\n0\r\nX-Sum: abc\r\n");
                await Task.Delay(20);
                await c.SendAsync("X-Other: d e\r\n\r\n");
            }
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/chunked"));
        var r = await c.ReadResponseAsync();
        Assert.Equal(200, r.Status);
        Assert.True(r.IsChunked, r.ToString());
        Assert.False(r.Truncated);
        Bytes.AssertEqual(Encoding.ASCII.GetBytes("hello").Concat(big).ToArray(), r.Body, "decoded response body");
        Assert.Equal(
            new[] { ("x-sum", "abc"), ("x-other", "d e") },
            r.Trailers.Select(t => (t.Key.ToLowerInvariant(), t.Value)).ToArray());

        await c.SendAsync(Handlers.Get("/plain"));
        var next = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal("plain conn=1", next.BodyText);
        Assert.Equal(1, srv.Accepts);
    }

    [Fact]
    public async Task ExpectContinue_ServerSends100_ClientGets100ThenFinal200()
    {
        var bodyAtServer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var srv = TestServer.Start("s1", async c =>
        {
            var head = await c.ReadHeadAsync(Handlers.ServerReadTimeout);
            if (head is null) return;
            var req = HttpMessage.Parse(head, isResponse: false);
            Assert.Equal("100-continue", req.Header("Expect"));
            await c.SendAsync("HTTP/1.1 100 Continue\r\n\r\n");
            var body = Bytes.Latin1(await c.ReadExactAsync((int)req.ContentLength!.Value));
            bodyAtServer.TrySetResult(body);
            await c.SendAsync(Handlers.Response200("got " + body));
            await c.ReadUntilCloseAsync(Handlers.ServerReadTimeout, keep: 0);
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("POST /expect HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var interim = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(100, interim.Status);
        await c.SendAsync("hello");
        var final = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, final.Status);
        Assert.Equal("got hello", final.BodyText);
        Assert.Equal("hello", await bodyAtServer.Task.WaitAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Upgrade_WebSocket_101ThenBytesTunnelledBothWays()
    {
        await using var srv = TestServer.Start("ws", async c =>
        {
            var head = await c.ReadHeadAsync(Handlers.ServerReadTimeout);
            if (head is null) return;
            var req = HttpMessage.Parse(head, isResponse: false);
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(req.Header("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC11B2E")));
            await c.SendAsync($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
            await c.SendAsync("server speaks first\n");
            await Handlers.Echo(c);
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("ws", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("GET /chat HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(101, r.Status);
        Assert.Equal("websocket", r.Header("Upgrade"));
        Assert.True(r.ConnectionHas("upgrade"), r.ToString());
        Assert.NotNull(r.Header("Sec-WebSocket-Accept"));

        Assert.Equal("server speaks first", await c.ReadLineAsync());
        await c.SendAsync("ping\n");
        Assert.Equal("ping", await c.ReadLineAsync());

        // Raw bytes (not HTTP) both ways, then the client's FIN ends the tunnel cleanly.
        var blob = Bytes.Random(256 * 1024, seed: 14);
        var send = Task.Run(async () =>
        {
            await c.SendAsync(blob);
            c.ShutdownSend();
        });
        var (echoed, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(10));
        await send.WaitAsync(TimeSpan.FromSeconds(5));
        Bytes.AssertEqual(blob, echoed, "bytes through the tunnel");
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LargeResponse_HeadAndBodyInOneWrite_BodyByteExact(bool chunked)
    {
        // Head and 1 MiB of body leave the server in one write, so the proxy's first read holds
        // the head and the start of the body while more bytes are already waiting in the socket.
        var body = Bytes.Random(1 << 20, seed: 15);
        byte[] wire;
        if (chunked)
        {
            var ms = new MemoryStream();
            ms.Write(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (int off = 0; off < body.Length; off += 50_000)
            {
                int n = Math.Min(50_000, body.Length - off);
                ms.Write(Encoding.ASCII.GetBytes($"{n:X}\r\n"));
                ms.Write(body, off, n);
                ms.Write("\r\n"u8);
            }
            ms.Write("0\r\n\r\n"u8);
            wire = ms.ToArray();
        }
        else
        {
            wire = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n").Concat(body).ToArray();
        }
        await using var srv = TestServer.Start("s1", async c =>
        {
            for (int k = 0; k < 10; k++)
            {
                var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
                if (req is null) return;
                await c.SendAsync(wire, TimeSpan.FromSeconds(20));
            }
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        for (int i = 0; i < 3; i++)
        {
            await c.SendAsync(Handlers.Get($"/big/{i}"));
            var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(20));
            Assert.Equal(200, r.Status);
            Assert.False(r.Truncated);
            Bytes.AssertEqual(body, r.Body, $"response {i} body");
        }
    }

    [Fact]
    public async Task ExpectContinue_InterimAndFinalResponseInOneWrite_BothDelivered()
    {
        // A server that already has the body may send "100 Continue" and the final response together.
        await using var srv = TestServer.Start("s1", async c =>
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            await c.SendAsync("HTTP/1.1 100 Continue\r\n\r\n" + Handlers.Response200("got " + req.BodyText));
            await c.ReadUntilCloseAsync(Handlers.ServerReadTimeout, keep: 0);
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        // The client does not wait for the 100 (as curl does after its timeout).
        await c.SendAsync("POST /expect HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello");
        var interim = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(100, interim.Status);
        var final = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, final.Status);
        Assert.Equal("got hello", final.BodyText);
    }

    [Fact]
    public async Task Upgrade_ServerDataRightBehind101_DeliveredIntact()
    {
        // The 101 and the server's first bytes in one write, more bytes right behind them.
        var push = Bytes.Random(256 * 1024, seed: 16);
        await using var srv = TestServer.Start("ws", async c =>
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            await c.SendAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nfirst line\n");
            await c.SendAsync(push);
            await Handlers.Echo(c);
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("ws", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("GET /tunnel HTTP/1.1\r\nHost: test\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(101, r.Status);
        Assert.Equal("first line", await c.ReadLineAsync());
        var pushed = await c.ReadExactAsync(push.Length);
        Bytes.AssertEqual(push, pushed, "server bytes behind the 101");
        await c.SendAsync("ping\n");
        Assert.Equal("ping", await c.ReadLineAsync());
    }
}
