using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Lb.Actors.Streams;
using Xunit;

namespace Lb.Tests.Streams;

public class SocketStageTests : IClassFixture<AkkaStreamsFixture>
{
    private static readonly TimeSpan T = Loopback.Timeout;
    private readonly IMaterializer _mat;

    public SocketStageTests(AkkaStreamsFixture fixture) => _mat = fixture.Materializer;

    private static Sink<ByteString, Task<byte[]>> CollectAll() =>
        Sink.Aggregate<ByteString, MemoryStream>(new MemoryStream(), (ms, bs) =>
            {
                ms.Write(bs.ToReadOnlySpan());
                return ms;
            })
            .MapMaterializedValue(t => t.ContinueWith(x => x.Result.ToArray(), TaskScheduler.Default));

    /// <summary>A listener whose every connection is an echo through the stage.</summary>
    private SocketListener EchoServer(ConcurrentQueue<Task> serverTasks, SocketSettings? settings = null) =>
        SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), socket =>
        {
            var done = SocketFlow.Create(socket, settings ?? SocketSettings.Default)
                .Join(Flow.Create<ByteString>())
                .Run(_mat);
            serverTasks.Enqueue(done);
        });

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(100_000, 3)]
    [InlineData(8 * 1024 * 1024, 4)]
    public async Task Echo_RandomPayload_ByteExactBothStagesClose(int size, int seed)
    {
        var serverTasks = new ConcurrentQueue<Task>();
        using var listener = EchoServer(serverTasks);
        var data = Loopback.RandomBytes(size, seed);
        var activity = new SocketActivity();

        var socket = await SocketConnector.ConnectAsync(listener.LocalEndPoint, T);
        var (closed, received) = Source.From(Loopback.Chunks(data, seed))
            .ViaMaterialized(SocketFlow.Create(socket, SocketSettings.Default, activity), Keep.Right)
            .ToMaterialized(CollectAll(), Keep.Both)
            .Run(_mat);

        var echoed = await received.WaitAsync(T);
        await closed.WaitAsync(T);
        Assert.Equal(data.Length, echoed.Length);
        Assert.Equal(Loopback.Sha256(data), Loopback.Sha256(echoed));
        Assert.True(serverTasks.Count == 1, $"server connections: {serverTasks.Count}");
        await Task.WhenAll(serverTasks).WaitAsync(T);
        Assert.Equal(size, activity.BytesWritten);
        Assert.Equal(size, activity.BytesRead);
    }

    [Fact]
    public async Task HalfClose_ClientShutsDownWrite_StillReceivesWholeResponse()
    {
        // Server: read the whole request (until the client's FIN), then answer sha256(request) + 2 MB.
        var response = Loopback.RandomBytes(2 * 1024 * 1024, 7);
        var serverDone = new TaskCompletionSource<Task>();
        using var listener = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), socket =>
        {
            var handler = Flow.Create<ByteString>()
                .Aggregate(IncrementalHash.CreateHash(HashAlgorithmName.SHA256), (h, bs) =>
                {
                    h.AppendData(bs.ToReadOnlySpan());
                    return h;
                })
                .SelectMany(h => new[] { ByteString.FromBytes(h.GetHashAndReset()) }
                    .Concat(Loopback.Chunks(response, 8)));
            serverDone.TrySetResult(SocketFlow.Create(socket).Join(handler).Run(_mat));
        });

        var request = Loopback.RandomBytes(1024 * 1024, 9);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).WaitAsync(T);
        await Loopback.SendAll(client, request);
        client.Shutdown(SocketShutdown.Send);

        var got = await Loopback.ReadToEnd(client).WaitAsync(T);
        Assert.Equal(32 + response.Length, got.Length);
        Assert.Equal(SHA256.HashData(request), got[..32]);
        Assert.Equal(Loopback.Sha256(response), Loopback.Sha256(got[32..]));
        await (await serverDone.Task.WaitAsync(T)).WaitAsync(T);
    }

    [Fact]
    public async Task HalfClose_PeerFin_CompletesDownstream_WhileWritingContinues()
    {
        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);
        using var _ = server;

        var (queue, closed, downstream) = Source.Queue<ByteString>(4, OverflowStrategy.Backpressure)
            .ViaMaterialized(SocketFlow.Create(client), Keep.Both)
            .ToMaterialized(CollectAll(), (l, r) => (l.Item1, l.Item2, r))
            .Run(_mat);

        var before = Loopback.RandomBytes(100_000, 10);
        foreach (var chunk in Loopback.Chunks(before, 10)) await queue.OfferAsync(chunk);

        // the peer says goodbye in its direction only, and keeps reading
        await server.SendAsync(ByteString.FromString("bye").ToArray(), SocketFlags.None);
        server.Shutdown(SocketShutdown.Send);
        var serverRead = Loopback.ReadToEnd(server);

        Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(await downstream.WaitAsync(T)));
        Assert.False(closed.IsCompleted, "socket must stay open for writing after peer FIN");

        var after = Loopback.RandomBytes(3 * 1024 * 1024, 11);
        foreach (var chunk in Loopback.Chunks(after, 11)) await queue.OfferAsync(chunk);
        queue.Complete();

        var all = await serverRead.WaitAsync(T);
        Assert.Equal(Loopback.Sha256([.. before, .. after]), Loopback.Sha256(all));
        await closed.WaitAsync(T);
    }

    [Fact]
    public async Task UpstreamFailure_AbortsWithReset_AndFaultsMaterializedTask()
    {
        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);
        using var _ = server;

        var boom = new InvalidOperationException("boom");
        var (closed, downstream) = Source.Single(ByteString.FromString("partial"))
            .Concat(Source.Failed<ByteString>(boom))
            .ViaMaterialized(SocketFlow.Create(client), Keep.Right)
            .ToMaterialized(Sink.Ignore<ByteString>(), Keep.Both)
            .Run(_mat);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => closed.WaitAsync(T));
        Assert.Same(boom, ex);
        await Assert.ThrowsAsync<InvalidOperationException>(() => downstream.WaitAsync(T));

        var reset = await Assert.ThrowsAsync<SocketException>(() => Loopback.ReadToEnd(server).WaitAsync(T));
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Fact]
    public async Task PeerReset_FailsDownstream_AndFaultsMaterializedTask()
    {
        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);

        var (closed, downstream) = Source.Never<ByteString>()
            .ViaMaterialized(SocketFlow.Create(client), Keep.Right)
            .ToMaterialized(Sink.Ignore<ByteString>(), Keep.Both)
            .Run(_mat);

        server.LingerState = new LingerOption(true, 0);
        server.Dispose(); // RST

        var ex = await Assert.ThrowsAsync<SocketException>(() => downstream.WaitAsync(T));
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        await Assert.ThrowsAsync<SocketException>(() => closed.WaitAsync(T));
    }

    [Fact]
    public async Task DownstreamCancel_StopsReading_ButKeepsWritingUntilUpstreamCompletes()
    {
        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);
        using var _ = server;

        var (queue, closed, first) = Source.Queue<ByteString>(4, OverflowStrategy.Backpressure)
            .ViaMaterialized(SocketFlow.Create(client), Keep.Both)
            .ToMaterialized(Sink.First<ByteString>(), (l, r) => (l.Item1, l.Item2, r))
            .Run(_mat);

        await server.SendAsync(new byte[] { 42 }, SocketFlags.None);
        Assert.Equal(42, (await first.WaitAsync(T))[0]); // Sink.First cancels after one element
        var serverRead = Loopback.ReadToEnd(server);

        var payload = Loopback.RandomBytes(1024 * 1024, 12);
        foreach (var chunk in Loopback.Chunks(payload, 12)) await queue.OfferAsync(chunk);
        Assert.False(closed.IsCompleted);
        queue.Complete();

        Assert.Equal(Loopback.Sha256(payload), Loopback.Sha256(await serverRead.WaitAsync(T)));
        await closed.WaitAsync(T);
    }

    [Fact]
    public async Task DownstreamCancel_WithCancelMeansAbort_ResetsConnection()
    {
        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);
        using var _ = server;

        var (closed, first) = Source.Never<ByteString>()
            .ViaMaterialized(SocketFlow.Create(client, SocketSettings.Default with { CancelMeansAbort = true }), Keep.Right)
            .ToMaterialized(Sink.First<ByteString>(), Keep.Both)
            .Run(_mat);

        await server.SendAsync(new byte[] { 1 }, SocketFlags.None);
        await first.WaitAsync(T);
        await closed.WaitAsync(T); // a deliberate abort is not a failure

        var reset = await Assert.ThrowsAsync<SocketException>(() => Loopback.ReadToEnd(server).WaitAsync(T));
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Fact]
    public async Task Reads_AreAtMostReceiveBufferSize_AndActivityIsUpdated()
    {
        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);
        using var _ = server;
        var activity = new SocketActivity();
        var start = Environment.TickCount64;

        var (closed, sizes) = Source.Empty<ByteString>()
            .ViaMaterialized(SocketFlow.Create(client, new SocketSettings { ReceiveBufferSize = 1000 }, activity), Keep.Right)
            .Select(b => b.Count)
            .ToMaterialized(Sink.Seq<int>(), Keep.Both)
            .Run(_mat);

        Assert.Empty(await Loopback.ReadToEnd(server).WaitAsync(T)); // upstream empty -> immediate FIN
        await Loopback.SendAll(server, new byte[50_000]);
        server.Shutdown(SocketShutdown.Send);

        var got = await sizes.WaitAsync(T);
        await closed.WaitAsync(T);
        Assert.Equal(50_000, got.Sum());
        Assert.All(got, n => Assert.InRange(n, 1, 1000));
        Assert.Equal(50_000, activity.BytesRead);
        Assert.Equal(0, activity.BytesWritten);
        Assert.InRange(activity.LastReadMs, start, Environment.TickCount64);
    }

    [Fact]
    public async Task MaterializerShutdown_AbortsSocket_AndFaultsMaterializedTask()
    {
        using var rawListener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(rawListener);
        using var _ = server;
        // Its own system: in Akka 1.5.73, shutting down any ActorMaterializer.Create(system) also shuts
        // down the system's shared materializer (system.Materializer()).
        using var fixture = new AkkaStreamsFixture();
        var own = (ActorMaterializer)fixture.Materializer;

        var closed = Source.Never<ByteString>()
            .ViaMaterialized(SocketFlow.Create(client), Keep.Right)
            .To(Sink.Ignore<ByteString>())
            .Run(own);
        await server.SendAsync(new byte[] { 1 }, SocketFlags.None);
        own.Shutdown();

        await Assert.ThrowsAsync<AbruptStageTerminationException>(() => closed.WaitAsync(T));
        var reset = await Assert.ThrowsAsync<SocketException>(() => Loopback.ReadToEnd(server).WaitAsync(T));
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Fact]
    public void SecondMaterialization_Throws()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var flow = SocketFlow.Create(s);
        var graph = Source.Never<ByteString>().Via(flow).To(Sink.Ignore<ByteString>());
        // the first run fails asynchronously (socket not connected); the second must refuse to start
        graph.Run(_mat);
        var ex = Assert.Throws<InvalidOperationException>(() => graph.Run(_mat));
        Assert.Contains("materialized only once", ex.Message);
    }
}
