using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.DataPlane;

/// <summary>mode tcp through real sockets: relay, half-close both ways, balancing, dead server.</summary>
public sealed class TcpModeTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;
    private readonly ITestOutputHelper _out;

    public TcpModeTests(ProxyFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    // nbthread 1: haproxy (the reference) then also accepts strictly in connection order.
    private static string Config(int fe, string servers, string backendExtra = "", string defaultsExtra = "") => $"""
        global
            nbthread 1

        defaults
            mode tcp
            timeout connect 2s
            timeout client 20s
            timeout server 20s
        {defaultsExtra}

        frontend fe
            bind 127.0.0.1:{fe}
            default_backend be

        backend be
            balance roundrobin
        {backendExtra}
        {servers}

        """;

    [Fact]
    public async Task Echo_RandomPayloads1To4MiB_ByteExact()
    {
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {echo.Address}"));

        var rnd = new Random(20261125);
        for (int i = 0; i < 3; i++)
        {
            int size = rnd.Next(1 << 20, (4 << 20) + 1);
            var payload = Bytes.Random(size, seed: i);
            using var c = await RawConnection.ConnectAsync(fe);
            var send = Task.Run(async () =>
            {
                try
                {
                    // uneven writes, so that the proxy sees arbitrary segment boundaries
                    int off = 0;
                    uint step = 1;
                    for (int n = 0; off < payload.Length && n < 100_000; n++)
                    {
                        int len = Math.Min(payload.Length - off, 1000 + (int)(step % 70_000));
                        await c.SendAsync(payload.AsMemory(off, len));
                        off += len;
                        step = step * 31 + 7;
                    }
                    c.ShutdownSend();
                }
                catch
                {
                    c.Abort(); // ends the read below at once
                    throw;
                }
            });
            var (echoed, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(30), keep: 8 << 20);
            await send.WaitAsync(TimeSpan.FromSeconds(5));
            _out.WriteLine($"payload {i}: {size} bytes, connection ended with {kind}");
            Bytes.AssertEqual(payload, echoed, $"echo of payload {i} ({size} bytes)");
            Assert.Equal(CloseKind.Fin, kind);
        }
        Assert.Equal(3, echo.Accepts);
        Assert.Empty(echo.Errors);
    }

    [Fact]
    public async Task HalfClose_ClientShutsDownWriteFirst_StillReceivesFullEcho()
    {
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {echo.Address}"));

        var payload = Bytes.Random(48 * 1024, seed: 7);
        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(payload);
        c.ShutdownSend(); // FIN before a single echoed byte was read
        await Task.Delay(200);
        var (echoed, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(10));
        Bytes.AssertEqual(payload, echoed, "echo after the client's FIN");
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Fact]
    public async Task HalfClose_ServerSendsFinFirst_ClientStillSendsToServer()
    {
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var greeting = Bytes.Random(100_000, seed: 3);
        await using var server = TestServer.Start("fin-first", async c =>
        {
            await c.SendAsync(greeting);
            c.ShutdownSend(); // server -> client direction is over
            var (data, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(15), keep: 0);
            received.TrySetResult(c.BytesReceived);
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {server.Address}"));

        using var c = await RawConnection.ConnectAsync(fe);
        var (got, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(10));
        Bytes.AssertEqual(greeting, got, "server's data before its FIN");
        Assert.Equal(CloseKind.Fin, kind);

        // The client's direction is still open: 1 MiB must reach the server.
        var upload = Bytes.Random(1 << 20, seed: 4);
        await c.SendAsync(upload, TimeSpan.FromSeconds(10));
        c.ShutdownSend();
        long atServer = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(upload.Length, atServer);
    }

    [Fact]
    public async Task RoundRobin_TwoServers_AlternatesInAcceptOrder()
    {
        await using var s1 = TestServer.Start("s1", Handlers.Banner("s1"));
        await using var s2 = TestServer.Start("s2", Handlers.Banner("s2"));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {s1.Address}\n    server s2 {s2.Address}"));

        var clients = new List<RawConnection>();
        try
        {
            // Connect all first (accept order = connect order), read the banners afterwards.
            for (int i = 0; i < 6; i++) clients.Add(await RawConnection.ConnectAsync(fe));
            var names = new List<string>();
            foreach (var c in clients) names.Add(await c.ReadLineAsync());
            Assert.Equal(new[] { "s1", "s2", "s1", "s2", "s1", "s2" }, names);
            Assert.Equal(3, s1.Accepts);
            Assert.Equal(3, s2.Accepts);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Fact]
    public async Task DeadServer_Retries0_ClientConnectionClosed()
    {
        int dead = Ports.Free(); // nothing listens there
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 127.0.0.1:{dead}", "    retries 0"));

        for (int i = 0; i < 3; i++)
        {
            var t0 = DateTime.UtcNow;
            var (data, kind) = await ConnectSendAndReadToCloseAsync(fe, "hello");
            var took = DateTime.UtcNow - t0;
            _out.WriteLine($"attempt {i}: {kind} after {took.TotalMilliseconds:F0} ms, {data.Length} bytes");
            Assert.Empty(data);
            Assert.NotEqual(CloseKind.Timeout, kind);
            Assert.True(took < TimeSpan.FromSeconds(2), $"closed after {took}"); // no retry: at once
        }
    }

    /// <summary>
    /// A reset may come so fast that it hits the client's connect or send: that is a closed
    /// connection too (the strict FIN check is DeadServer_Retries0_ClosesWithFinLikeHaproxy).
    /// </summary>
    private static async Task<(byte[] Data, CloseKind Kind)> ConnectSendAndReadToCloseAsync(int port, string send)
    {
        try
        {
            using var c = await RawConnection.ConnectAsync(port);
            await c.SendAsync(send);
            return await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(3));
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.Shutdown)
        {
            return ([], CloseKind.Reset);
        }
    }

    [Fact]
    public async Task DeadServer_Retries0_ClosesWithFinLikeHaproxy()
    {
        // haproxy 2.6 closes the client side with a clean FIN (checked on loopback), even when
        // the client had sent data that was never forwarded.
        int dead = Ports.Free();
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 127.0.0.1:{dead}", "    retries 0"));

        using var idle = await RawConnection.ConnectAsync(fe);
        var (_, idleKind) = await idle.ReadUntilCloseAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(CloseKind.Fin, idleKind);
    }

    [Fact]
    public async Task Echo_ManySmallWritesBothWays_ArriveInOrder()
    {
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {echo.Address}"));

        using var c = await RawConnection.ConnectAsync(fe);
        var expected = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            var line = $"line {i}\n";
            expected.Append(line);
            await c.SendAsync(line);
            Assert.Equal($"line {i}", await c.ReadLineAsync());
        }
        c.ShutdownSend();
        var (rest, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(rest);
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Fact]
    public async Task ClientFin_ServerClosed_ClientThatNeverClosesIsDroppedAfterClientFin()
    {
        var serverSawEnd = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TestServer.Start("fin-first", async c =>
        {
            await c.SendAsync("bye\n");
            c.ShutdownSend();
            // The client's half stays open and silent: without client-fin, 'timeout client' (20 s)
            // would keep the session (and so this server connection) alive.
            var t0 = DateTime.UtcNow;
            await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(8), keep: 0);
            serverSawEnd.TrySetResult((DateTime.UtcNow - t0).TotalMilliseconds);
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {server.Address}", defaultsExtra: "    timeout client-fin 400ms"));

        using var c = await RawConnection.ConnectAsync(fe);
        Assert.Equal("bye", await c.ReadLineAsync());
        var ms = await serverSawEnd.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _out.WriteLine($"session ended {ms:F0} ms after the server's FIN");
        Assert.InRange(ms, 300, 3000);
    }

    [Fact]
    public async Task ServerFin_ClientClosed_ServerThatNeverClosesIsDroppedAfterServerFin()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TestServer.Start("never-closes", async c =>
        {
            // reads the client's data and FIN, then keeps its own half open and silent
            await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(15), keep: 0);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(8)).ContinueWith(_ => { });
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {server.Address}", defaultsExtra: "    timeout server-fin 400ms"));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("hello\n");
        var t0 = DateTime.UtcNow;
        c.ShutdownSend();
        var (_, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(8));
        var took = DateTime.UtcNow - t0;
        release.TrySetResult();
        _out.WriteLine($"client connection ended with {kind} after {took.TotalMilliseconds:F0} ms");
        Assert.NotEqual(CloseKind.Timeout, kind);
        Assert.InRange(took.TotalMilliseconds, 300, 3000);
    }
}
