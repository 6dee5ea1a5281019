using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.DataPlane;

/// <summary>Tests that measure the whole process (memory, file descriptors): they run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialDataPlaneCollection
{
    public const string Name = "DataPlane serial";
}

/// <summary>Backpressure on a slow reader; no descriptor leak over many short connections.</summary>
[Collection(SerialDataPlaneCollection.Name)]
public sealed class ResourceTests : IClassFixture<ProxyFixture>
{
    private const long HugeLength = 200_000_000;
    private const int ConnectionCount = 10_000;
    // Both modes together stay within ~30 s; on this 2-core box Lb does 10,000 TCP connections in
    // ~13 s idle, ~4,000-6,000 in 15 s with both cores busy. Any per-connection leak would show
    // as thousands of fds, so the floor only makes sure the loop really ran.
    private static readonly TimeSpan ConnectionBudget = TimeSpan.FromSeconds(15);
    private const int MinimumConnections = 2_000;
    private const int IdleServerConnectionsAllowed = 4;

    private readonly ProxyFixture _fx;
    private readonly ITestOutputHelper _out;

    public ResourceTests(ProxyFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    /// <summary>The 200 MB body is this block repeated.</summary>
    private static readonly byte[] Pattern = Bytes.Random(64 * 1024, seed: 5);

    private static long LiveManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(false);
    }

    // Byte counts only: content integrity of large responses is HttpBodyTests.LargeResponse_*'s job.
    [Fact]
    public async Task SlowReader_200MBResponse_ProxyBackpressuresAndMemoryStaysBounded()
    {
        long serverSent = 0;
        await using var srv = TestServer.Start("huge", async c =>
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            await c.SendAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {HugeLength}\r\n\r\n");
            var block = Pattern;
            for (long left = HugeLength; left > 0;)
            {
                int n = (int)Math.Min(block.Length, left);
                await c.SendAsync(block.AsMemory(0, n), TimeSpan.FromSeconds(30));
                left -= n;
                Interlocked.Add(ref serverSent, n);
            }
            await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(30), keep: 0);
        });
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("huge", srv)));

        long baseline = LiveManagedBytes();
        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/huge"));
        var head = HttpMessage.Parse((await c.ReadHeadAsync())!, isResponse: true);
        Assert.Equal(HugeLength, head.ContentLength);

        // Slow phase: a few KB every 10 ms for ~3 s.
        long received = 0;
        var small = new byte[4096];
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 1000 && sw.Elapsed < TimeSpan.FromSeconds(3); i++)
        {
            int n = await c.ReadIntoAsync(small);
            Assert.NotEqual(0, n);
            received += n;
            await Task.Delay(10);
        }
        long inFlight = Volatile.Read(ref serverSent) - received;
        long slowGrowth = LiveManagedBytes() - baseline;
        _out.WriteLine($"slow phase: read {received:N0} bytes in {sw.ElapsedMilliseconds} ms; server sent {Volatile.Read(ref serverSent):N0} " +
                       $"({inFlight:N0} in flight); managed memory +{slowGrowth / 1e6:F1} MB");

        // Fast phase: drain the rest, sampling memory every ~50 MB.
        var big = new byte[256 * 1024];
        long maxGrowth = slowGrowth, nextSample = received + 50_000_000;
        sw.Restart();
        for (long guard = 0; received < HugeLength && guard < 10_000_000; guard++)
        {
            int n = await c.ReadIntoAsync(big, TimeSpan.FromSeconds(20));
            if (n == 0) break;
            received += n;
            if (received >= nextSample)
            {
                maxGrowth = Math.Max(maxGrowth, LiveManagedBytes() - baseline);
                nextSample += 50_000_000;
            }
        }
        _out.WriteLine($"fast phase: {sw.ElapsedMilliseconds} ms; total {received:N0} bytes; max managed growth +{maxGrowth / 1e6:F1} MB");

        Assert.Equal(HugeLength, received);
        Assert.True(inFlight < 64_000_000, $"{inFlight:N0} bytes in flight while the client read slowly: the proxy buffers instead of backpressuring");
        Assert.True(maxGrowth < 64_000_000, $"managed memory grew by {maxGrowth:N0} bytes");
    }

    [Fact]
    public async Task SequentialShortConnections_TcpMode_NoFdGrowth()
    {
        await using var srv = TestServer.Start("echo", Handlers.Echo, backlog: 1024);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync($"""
            defaults
                mode tcp
                timeout connect 2s
                timeout client 10s
                timeout server 10s

            frontend fe
                bind 127.0.0.1:{fe}
                default_backend be

            backend be
                server s1 {srv.Address}

            """);
        var one = new byte[1];
        await RunConnectionsAsync(proxy, srv, "tcp", async () =>
        {
            using var c = await RawConnection.ConnectAsync(fe);
            await c.SendAsync("x");
            Assert.Equal(1, await c.ReadIntoAsync(one));
        });
    }

    [Fact]
    public async Task SequentialShortConnections_HttpMode_NoFdGrowth()
    {
        await using var srv = TestServer.Start("s1", Handlers.HttpOk, backlog: 1024);
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync(Configs.Http(fe, Configs.Server("s1", srv)));
        var request = Handlers.Get("/short");
        await RunConnectionsAsync(proxy, srv, "http", async () =>
        {
            using var c = await RawConnection.ConnectAsync(fe);
            await c.SendAsync(request);
            var r = await c.ReadResponseAsync();
            Assert.Equal(200, r.Status);
        });
    }

    /// <summary>
    /// Up to <see cref="ConnectionCount"/> connections one after the other (fewer if the time
    /// budget runs out first, but at least <see cref="MinimumConnections"/>), then the proxy's open fds must come back to
    /// where they were, within a small slack.
    /// </summary>
    private async Task RunConnectionsAsync(RunningProxy proxy, TestServer srv, string what, Func<Task> oneConnection)
    {
        for (int i = 0; i < 20; i++) await oneConnection(); // warm-up: lazy allocations, thread pool
        int before = await SettledFdsAsync(proxy, srv, int.MaxValue);

        var sw = Stopwatch.StartNew();
        int done = 0;
        while (done < ConnectionCount && sw.Elapsed < ConnectionBudget)
        {
            await oneConnection();
            done++;
        }
        var took = sw.Elapsed;
        int after = await SettledFdsAsync(proxy, srv, before + 10);
        _out.WriteLine($"{what}: {done:N0} sequential connections in {took.TotalSeconds:F1} s ({done / took.TotalSeconds:F0}/s); " +
                       $"proxy fds {before} -> {after}; server accepts {srv.Accepts}");
        Assert.True(done >= MinimumConnections, $"only {done} connections in {ConnectionBudget}");
        // Server-side connections were closed too (haproxy keeps an idle one or two for reuse).
        Assert.InRange(srv.OpenConnections, 0, IdleServerConnectionsAllowed);
        Assert.True(after <= before + 10, $"fds grew from {before} to {after} over {done} connections");
    }

    /// <summary>Waits (up to 10 s) for the server's connections to close and the fd count to reach <paramref name="target"/>.</summary>
    private static async Task<int> SettledFdsAsync(RunningProxy proxy, TestServer srv, int target)
    {
        int fds = proxy.OpenFds();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10) && (srv.OpenConnections > IdleServerConnectionsAllowed || fds > target))
        {
            await Task.Delay(50);
            fds = proxy.OpenFds();
        }
        await Task.Delay(100);
        return proxy.OpenFds();
    }
}
