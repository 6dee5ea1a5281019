using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.DataPlane;

/// <summary>
/// Server 'maxconn' / 'maxqueue' / 'timeout queue' / 'option redispatch' through real sockets and
/// slow backends. Every expectation was first observed on haproxy 2.6.12 (run these with
/// LB_DATAPLANE_PROXY=haproxy to see it again).
/// </summary>
public sealed class QueueTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;
    private readonly ITestOutputHelper _out;

    public QueueTests(ProxyFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    /// <summary>An HTTP/1.1 backend that answers each request after a delay, naming itself, and
    /// records how many requests it handled at once.</summary>
    private sealed class SlowServer : IAsyncDisposable
    {
        private int _inside, _peak;

        public SlowServer(string name, TimeSpan delay)
        {
            Server = TestServer.Start(name, async c =>
            {
                for (int k = 0; k < 1000; k++)
                {
                    var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
                    if (req is null) return;
                    int now = Interlocked.Increment(ref _inside);
                    int seen;
                    while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
                    await Task.Delay(delay);
                    Interlocked.Decrement(ref _inside);
                    await c.SendAsync(Handlers.Response200(name + " " + req.Target, ("X-Server", name), ("X-Conn", c.Index.ToString())));
                    if (req.ConnectionHas("close")) return;
                }
            });
        }

        public TestServer Server { get; }
        public int Peak => Volatile.Read(ref _peak);
        public string Address => Server.Address;
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private static string Config(int fe, string backendLines) => $"""
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
        {backendLines}

        """;

    /// <summary>Sends the requests on separate connections, <paramref name="gapMs"/> apart, and
    /// returns for each its status and the server that answered (with the time it took).</summary>
    private async Task<(int Status, string Server, long Ms)[]> SendAsync(int port, string[] targets, int gapMs = 40, string? cookie = null)
    {
        var clock = Stopwatch.StartNew();
        var tasks = new List<Task<(int, string, long)>>();
        foreach (var target in targets)
        {
            tasks.Add(Task.Run(async () =>
            {
                using var c = await RawConnection.ConnectAsync(port);
                await c.SendAsync(Handlers.Get(target, (cookie is null ? "" : $"Cookie: {cookie}\r\n") + "Connection: close\r\n"));
                var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(15));
                return (r.Status, r.Header("x-server") ?? "-", clock.ElapsedMilliseconds);
            }));
            await Task.Delay(gapMs);
        }
        var results = await Task.WhenAll(tasks);
        for (int i = 0; i < results.Length; i++) _out.WriteLine($"{targets[i]}: {results[i].Item1} {results[i].Item2} at {results[i].Item3} ms");
        return results;
    }

    [Fact]
    public async Task MaxConn1_RequestsQueue_ServedOneAtATimeInArrivalOrder()
    {
        await using var s1 = new SlowServer("s1", TimeSpan.FromMilliseconds(300));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {s1.Address} maxconn 1"));
        var r = await SendAsync(fe, ["/a", "/b", "/c", "/d"], gapMs: 60);
        Assert.All(r, x => Assert.Equal(200, x.Status));
        Assert.Equal(1, s1.Peak);
        // One after the other, in the order they came: each about 300 ms after the previous one.
        for (int i = 1; i < r.Length; i++) Assert.True(r[i].Ms - r[i - 1].Ms >= 200, $"request {i} finished {r[i].Ms - r[i - 1].Ms} ms after request {i - 1}");
    }

    [Fact]
    public async Task TimeoutQueue_Expired_503EvenWithRedispatch()
    {
        await using var s1 = new SlowServer("s1", TimeSpan.FromSeconds(1));
        await using var s2 = new SlowServer("s2", TimeSpan.FromSeconds(1));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"""
                option redispatch
                timeout queue 300ms
                server s1 {s1.Address} maxconn 1
                server s2 {s2.Address} maxconn 1
            """));
        var r = await SendAsync(fe, ["/a", "/b", "/c", "/d"]);
        Assert.Equal([200, 200, 503, 503], r.Select(x => x.Status));
        Assert.All(r.Skip(2), x => Assert.InRange(x.Ms, 250, 900)); // after 'timeout queue', not after the server
    }

    [Fact]
    public async Task RoundRobinAllFull_BackendQueue_FreedSlotsTakeTheOldest()
    {
        await using var s1 = new SlowServer("s1", TimeSpan.FromMilliseconds(400));
        await using var s2 = new SlowServer("s2", TimeSpan.FromMilliseconds(400));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"""
                server s1 {s1.Address} maxconn 1
                server s2 {s2.Address} maxconn 1
            """));
        var r = await SendAsync(fe, ["/a", "/b", "/c", "/d", "/e", "/f"]);
        Assert.All(r, x => Assert.Equal(200, x.Status));
        Assert.Equal((1, 1), (s1.Peak, s2.Peak));
        // Each freed slot goes to the oldest waiting request, whichever server frees it: c and d
        // get the first two, one on each server, e and f the next two.
        Assert.Equal(["s1", "s2"], r[..2].Select(x => x.Server));
        foreach (var pair in new[] { r[2..4], r[4..6] }) Assert.Equal(["s1", "s2"], pair.Select(x => x.Server).Order());
        Assert.True(Math.Max(r[2].Ms, r[3].Ms) < Math.Min(r[4].Ms, r[5].Ms), "c and d served before e and f");
    }

    [Theory]
    [InlineData(true, new[] { "s1", "s1", "s2", "s2" })]
    [InlineData(false, new[] { "503", "503", "s1", "s1" })]
    public async Task CookieServerQueueAtMaxQueue_RedispatchedOr503(bool redispatch, string[] expected)
    {
        await using var s1 = new SlowServer("s1", TimeSpan.FromMilliseconds(700));
        await using var s2 = new SlowServer("s2", TimeSpan.FromMilliseconds(700));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"""
                {(redispatch ? "option redispatch" : "")}
                cookie SRV
                timeout queue 10s
                server s1 {s1.Address} maxconn 1 maxqueue 1 cookie a
                server s2 {s2.Address} cookie b
            """));
        var r = await SendAsync(fe, ["/a", "/b", "/c", "/d"], cookie: "SRV=a");
        // Two fit on s1 (one served, one queued); the other two find its queue full. (Compared as
        // sets: on a loaded machine the four may reach the proxy in another order. The queued one
        // must not meet the queue timeout, 2 s by default, when the machine is slow.)
        Assert.Equal(expected, r.Select(x => x.Status == 200 ? x.Server : x.Status.ToString()).Order());
        Assert.Equal(1, s1.Peak);
    }

    [Fact]
    public async Task UriHashAtMaxQueue_503EvenWithRedispatch()
    {
        await using var s1 = new SlowServer("s1", TimeSpan.FromMilliseconds(700));
        await using var s2 = new SlowServer("s2", TimeSpan.FromMilliseconds(700));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"""
                balance uri
                option redispatch
                server s1 {s1.Address} maxconn 1 maxqueue 1
                server s2 {s2.Address} maxconn 1 maxqueue 1
            """));
        var r = await SendAsync(fe, ["/x", "/x", "/x", "/x"]);
        Assert.Equal([200, 200, 503, 503], r.Select(x => x.Status).Order());
        Assert.Single(r.Where(x => x.Status == 200).Select(x => x.Server).Distinct()); // the hash keeps them on one server
    }

    [Theory]
    [InlineData("maxqueue 1", new[] { "s1", "s2", "s1", "s2", "s2" })]
    [InlineData("", new[] { "s1", "s2", "s2", "s2", "s2" })]
    public async Task LeastConn_MaxQueue_FullServersStillTakeQueuedRequests(string maxQueue, string[] expected)
    {
        // s1 is slow, s2 quick. With maxqueue, leastconn sends to a full server while its
        // served + queued stays under maxconn + maxqueue (the key counts the queue); without, every
        // request beyond the slots waits in the backend queue and the quick s2 takes them all.
        await using var s1 = new SlowServer("s1", TimeSpan.FromMilliseconds(1500));
        await using var s2 = new SlowServer("s2", TimeSpan.FromMilliseconds(200));
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"""
                balance leastconn
                timeout queue 10s
                server s1 {s1.Address} maxconn 1 {maxQueue}
                server s2 {s2.Address} maxconn 1 {maxQueue}
            """));
        var r = await SendAsync(fe, ["/a", "/b", "/c", "/d", "/e"], gapMs: 80);
        Assert.Equal(expected, r.Select(x => x.Status == 200 ? x.Server : x.Status.ToString()));
    }

    [Fact]
    public async Task MaxConn1_KeepAliveClientsBetweenRequests_HoldNoSlot()
    {
        await using var s1 = new SlowServer("s1", TimeSpan.Zero);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, $"    server s1 {s1.Address} maxconn 1\n    timeout queue 1s"));
        using var a = await RawConnection.ConnectAsync(fe);
        using var b = await RawConnection.ConnectAsync(fe);
        foreach (var (c, name) in new[] { (a, "A1"), (b, "B1"), (a, "A2"), (b, "B2") })
        {
            var clock = Stopwatch.StartNew();
            await c.SendAsync(Handlers.Get("/" + name));
            var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
            Assert.Equal(200, r.Status);
            Assert.True(clock.ElapsedMilliseconds < 900, $"{name} waited {clock.ElapsedMilliseconds} ms for the other client's idle connection");
        }
    }

    [Fact]
    public async Task TcpMaxConn1_SecondClientWaitsForTheFirstToLeave()
    {
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync($"""
            defaults
                mode tcp
                timeout connect 2s
                timeout client 20s
                timeout server 20s
                timeout queue 10s

            frontend fe
                bind 127.0.0.1:{fe}
                default_backend be

            backend be
                server s1 {echo.Address} maxconn 1

            """);
        using var a = await RawConnection.ConnectAsync(fe);
        await a.SendAsync("a\n");
        Assert.Equal("a", await a.ReadLineAsync());
        using var b = await RawConnection.ConnectAsync(fe);
        await b.SendAsync("b\n");
        Assert.False(await b.AnythingArrivesWithinAsync(TimeSpan.FromMilliseconds(400)), "second client served above maxconn 1");
        Assert.Equal(1, echo.Accepts);
        a.Dispose();
        Assert.Equal("b", await b.ReadLineAsync(TimeSpan.FromSeconds(5)));
    }
}
