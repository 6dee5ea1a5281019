using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.DataPlane;

/// <summary>Peers that vanish in the middle of a body: the other side is closed, the proxy goes on serving.</summary>
public sealed class HttpRobustnessTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;
    private readonly ITestOutputHelper _out;

    public HttpRobustnessTests(ProxyFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    /// <summary>What a server connection saw: how it ended, how many bytes, after how long.</summary>
    private sealed record Ending(string How, long Bytes, TimeSpan After);

    private sealed class Script
    {
        public readonly TaskCompletionSource BodyStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource<Ending> Ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task Handle(RawConnection c)
        {
            var head = await c.ReadHeadAsync(Handlers.ServerReadTimeout);
            if (head is null) return;
            var req = HttpMessage.Parse(head, isResponse: false);
            var sw = Stopwatch.StartNew();
            switch (req.Target)
            {
                case "/upload":
                {
                    // Read the body as it comes; report how the connection ended.
                    var buf = new byte[64 * 1024];
                    long got = 0;
                    try
                    {
                        for (int i = 0; i < 1_000_000; i++)
                        {
                            int n = await c.ReadIntoAsync(buf, TimeSpan.FromSeconds(10));
                            if (n == 0) { Ended.TrySetResult(new("fin", got, sw.Elapsed)); return; }
                            got += n;
                            if (got >= 10_000) BodyStarted.TrySetResult();
                        }
                    }
                    catch (Exception e)
                    {
                        Ended.TrySetResult(new(e.GetType().Name, got, sw.Elapsed));
                    }
                    return;
                }
                case "/endless":
                {
                    // A 1 GB response, sent until the connection breaks.
                    await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n");
                    var block = new byte[64 * 1024];
                    long sent = 0;
                    try
                    {
                        for (int i = 0; i < 1_000_000_000 / block.Length; i++)
                        {
                            await c.SendAsync(block, TimeSpan.FromSeconds(10));
                            sent += block.Length;
                            if (sent >= 256 * 1024) BodyStarted.TrySetResult();
                        }
                        Ended.TrySetResult(new("completed", sent, sw.Elapsed));
                    }
                    catch (Exception e)
                    {
                        Ended.TrySetResult(new(e.GetType().Name, sent, sw.Elapsed));
                    }
                    return;
                }
                case "/vanish-fin":
                case "/vanish-rst":
                    await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + new string('x', 5000));
                    await Task.Delay(200);
                    if (req.Target == "/vanish-rst") c.Abort();
                    return;
                case "/vanish-chunked":
                    await c.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n" + new string('x', 5000) + "\r\n");
                    await Task.Delay(200);
                    return;
                default:
                    await c.SendAsync(Handlers.Response200("ok " + req.Target));
                    await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(10), keep: 0);
                    return;
            }
        }
    }

    private static async Task AssertStillServesAsync(int fe)
    {
        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/fine"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, r.Status);
        Assert.Equal("ok /fine", r.BodyText);
    }

    [Fact]
    public async Task ClientResetMidRequestBody_ServerConnectionClosedAndProxyStillServes()
    {
        var script = new Script();
        await using var srv = TestServer.Start("s1", script.Handle);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000\r\n\r\n");
        await c.SendAsync(new byte[20_000]);
        await script.BodyStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var sw = Stopwatch.StartNew();
        c.Abort();
        var ending = await script.Ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        _out.WriteLine($"server connection: {ending} ({sw.ElapsedMilliseconds} ms after the client's RST)");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"server side closed only after {sw.Elapsed}");
        Assert.InRange(ending.Bytes, 10_000, 20_000); // body bytes still in flight may be lost with the RST (haproxy too)
        await AssertStillServesAsync(fe);
    }

    [Fact]
    public async Task ClientResetMidResponseBody_ServerConnectionClosedAndProxyStillServes()
    {
        var script = new Script();
        await using var srv = TestServer.Start("s1", script.Handle);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/endless"));
        var head = await c.ReadHeadAsync();
        Assert.NotNull(head);
        await c.ReadExactAsync(100_000);
        await script.BodyStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var sw = Stopwatch.StartNew();
        c.Abort();
        var ending = await script.Ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        _out.WriteLine($"server connection: {ending} ({sw.ElapsedMilliseconds} ms after the client's RST)");
        Assert.NotEqual("completed", ending.How);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"server side closed only after {sw.Elapsed}");
        await AssertStillServesAsync(fe);
    }

    [Theory]
    [InlineData("/vanish-fin")]
    [InlineData("/vanish-rst")]
    [InlineData("/vanish-chunked")]
    public async Task ServerVanishesMidResponseBody_ClientGetsTruncatedBodyThenFin(string target)
    {
        var script = new Script();
        await using var srv = TestServer.Start("s1", script.Handle);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get(target));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        Assert.Equal(200, r.Status);
        Assert.True(r.Truncated, "the body should end early");
        // What the server sent before it vanished is delivered, then the client side is closed (haproxy: FIN).
        Assert.Equal(5000, r.Body.Length);
        Assert.Equal(CloseKind.Fin, r.ClosedBy);
        await AssertStillServesAsync(fe);
    }
}
