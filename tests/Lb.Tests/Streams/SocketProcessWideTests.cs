using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Lb.Actors.Streams;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Streams;

/// <summary>Measurements of the whole process (fds, managed heap): they run alone.</summary>
[Collection(ProcessWideCollection.Name)]
public class SocketProcessWideTests : IClassFixture<AkkaStreamsFixture>
{
    private static readonly TimeSpan T = Loopback.Timeout;
    private readonly IMaterializer _mat;
    private readonly ITestOutputHelper _out;

    public SocketProcessWideTests(AkkaStreamsFixture fixture, ITestOutputHelper output)
    {
        _mat = fixture.Materializer;
        _out = output;
    }

    [Fact]
    public async Task SlowConsumer_200MB_MemoryAndInFlightBytesStayBounded()
    {
        const long total = 200L * 1024 * 1024;
        const long pauseEvery = 10L * 1024 * 1024;

        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);
        using var _ = server;

        long sent = 0;
        var producer = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            while (Volatile.Read(ref sent) < total)
            {
                var n = await server.SendAsync(chunk, SocketFlags.None);
                Interlocked.Add(ref sent, n);
            }
            server.Shutdown(SocketShutdown.Send);
            await Loopback.ReadToEnd(server);
        });

        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        long consumed = 0, nextPause = pauseEvery, maxAhead = 0, maxHeapGrowth = 0;
        var (closed, done) = Source.Empty<ByteString>()
            .ViaMaterialized(SocketFlow.Create(client), Keep.Right)
            .SelectAsync(1, async bs =>
            {
                consumed += bs.Count;
                if (consumed >= nextPause)
                {
                    nextPause += pauseEvery;
                    await Task.Delay(50); // the slow part: the producer must stall, not us buffer
                    maxAhead = Math.Max(maxAhead, Volatile.Read(ref sent) - consumed);
                    maxHeapGrowth = Math.Max(maxHeapGrowth, GC.GetTotalMemory(true) - baseline);
                }
                return bs.Count;
            })
            .ToMaterialized(Sink.Aggregate<int, long>(0L, (a, n) => a + n), Keep.Both)
            .Run(_mat);

        var received = await done.WaitAsync(TimeSpan.FromSeconds(20));
        await closed.WaitAsync(T);
        await producer.WaitAsync(T);
        _out.WriteLine($"max bytes sent ahead of the consumer: {maxAhead / 1024} KiB; max managed heap growth: {maxHeapGrowth / 1024} KiB");

        Assert.Equal(total, received);
        // Everything the producer got ahead sits in kernel socket buffers (loopback autotuning:
        // a few MB each side), not in the process: without backpressure it would reach ~100+ MB.
        Assert.InRange(maxAhead, 0, 24L * 1024 * 1024);
        Assert.InRange(maxHeapGrowth, long.MinValue, 4L * 1024 * 1024);
    }

    [Fact]
    public async Task SequentialConnections_2000_ThroughListenerAndStage_LeakNoSockets()
    {
        var serverTasks = new ConcurrentQueue<Task>();
        using var listener = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), socket =>
            serverTasks.Enqueue(SocketFlow.Create(socket).Join(Flow.Create<ByteString>()).Run(_mat)));
        var payload = ByteString.FromString("ping-pong");

        async Task OneConnection()
        {
            var socket = await SocketConnector.ConnectAsync(listener.LocalEndPoint, T);
            var (closed, echoed) = Source.Single(payload)
                .ViaMaterialized(SocketFlow.Create(socket), Keep.Right)
                .ToMaterialized(Sink.Aggregate<ByteString, ByteString>(ByteString.Empty, (a, b) => a + b), Keep.Both)
                .Run(_mat);
            Assert.Equal(payload, await echoed.WaitAsync(T));
            await closed.WaitAsync(T);
        }

        for (var i = 0; i < 20; i++) await OneConnection(); // warm up (thread pool, epoll threads)
        await Task.WhenAll(serverTasks).WaitAsync(T);
        var fdsBefore = Loopback.OpenFileDescriptors();

        for (var i = 0; i < 2000; i++) await OneConnection();
        await Task.WhenAll(serverTasks).WaitAsync(T);
        var fdsAfter = Loopback.OpenFileDescriptors();
        _out.WriteLine($"fds before {fdsBefore}, after {fdsAfter}; server connections {serverTasks.Count}");

        Assert.Equal(2020, serverTasks.Count);
        Assert.InRange(fdsAfter, 0, fdsBefore + 4);
    }
}
