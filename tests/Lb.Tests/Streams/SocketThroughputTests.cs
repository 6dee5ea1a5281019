using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Lb.Actors.Streams;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Streams;

/// <summary>Runs only with LB_PERF=1 (a measurement, not a pass/fail gate).</summary>
public sealed class PerfFactAttribute : FactAttribute
{
    public PerfFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LB_PERF") != "1")
            Skip = "throughput measurement; run with LB_PERF=1 (ideally -c Release)";
    }
}

/// <summary>
/// Loopback throughput, 16 KiB reads. Run:
/// <c>LB_PERF=1 dotnet test tests/Lb.Tests -c Release --filter "Category=Perf" --logger "console;verbosity=detailed"</c>
/// </summary>
[Trait("Category", "Perf")]
[Collection(ProcessWideCollection.Name)]
public class SocketThroughputTests : IClassFixture<AkkaStreamsFixture>
{
    private const long Total = 2L * 1024 * 1024 * 1024;
    private const int Chunk = 16 * 1024;
    private readonly IMaterializer _mat;
    private readonly ITestOutputHelper _out;

    public SocketThroughputTests(AkkaStreamsFixture fixture, ITestOutputHelper output)
    {
        _mat = fixture.Materializer;
        _out = output;
    }

    private static Source<ByteString, Akka.NotUsed> Payload()
    {
        var chunk = ByteString.FromBytes(new byte[Chunk]); // the same 16 KiB element, no per-element allocation
        return Source.Repeat(chunk).Take(Total / Chunk);
    }

    private void Report(string what, long bytes, Stopwatch sw) =>
        _out.WriteLine($"{what}: {bytes / (1024.0 * 1024) / sw.Elapsed.TotalSeconds:F0} MiB/s ({bytes >> 20} MiB in {sw.Elapsed.TotalSeconds:F2} s)");

    [PerfFact]
    public async Task OneWay_StageToStage()
    {
        var received = new TaskCompletionSource<Task<(long Bytes, long Reads)>>();
        using var listener = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), s =>
            received.TrySetResult(Source.Empty<ByteString>().Via(SocketFlow.Create(s))
                .RunAggregate((Bytes: 0L, Reads: 0L), (a, b) => (a.Bytes + b.Count, a.Reads + 1), _mat)));
        var client = await SocketConnector.ConnectAsync(listener.LocalEndPoint, TimeSpan.FromSeconds(5));

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var sent = Payload().Via(SocketFlow.Create(client)).RunWith(Sink.Ignore<ByteString>(), _mat);
        var (bytes, reads) = await await received.Task;
        sw.Stop();
        await sent;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(Total, bytes);
        Report("stage -> stage, one way", bytes, sw);
        _out.WriteLine($"{reads} reads ({bytes / reads} B average), {Total / Chunk} writes; process allocated " +
                       $"{allocated >> 20} MiB = {(allocated - bytes) / (double)reads:F0} B per read beyond the read bytes themselves " +
                       "(covers the writer, the reader, Akka's interpreter and the thread pool)");
    }

    [PerfFact]
    public async Task Echo_StageOnBothSides()
    {
        using var listener = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), s =>
            SocketFlow.Create(s).Join(Flow.Create<ByteString>()).Run(_mat));
        var client = await SocketConnector.ConnectAsync(listener.LocalEndPoint, TimeSpan.FromSeconds(5));

        var sw = Stopwatch.StartNew();
        var bytes = await Payload().Via(SocketFlow.Create(client)).RunAggregate(0L, (a, b) => a + b.Count, _mat);
        sw.Stop();
        Assert.Equal(Total, bytes);
        Report("echo through 2 stages (bytes each way)", bytes, sw);
    }

    [PerfFact]
    public async Task OneWay_RawSockets_Baseline()
    {
        using var listener = Loopback.RawListener();
        var (client, server) = await Loopback.RawPair(listener);
        using (client)
        using (server)
        {
            var sw = Stopwatch.StartNew();
            var writer = Task.Run(async () =>
            {
                var buf = new byte[Chunk];
                for (long i = 0; i < Total; i += Chunk) await client.SendAsync(buf, SocketFlags.None);
                client.Shutdown(SocketShutdown.Send);
            });
            long bytes = 0;
            var rbuf = new byte[Chunk];
            int n;
            while ((n = await server.ReceiveAsync(rbuf, SocketFlags.None)) > 0) bytes += n;
            sw.Stop();
            await writer;
            Report("raw sockets (no Akka), one way", bytes, sw);
        }
    }

    [PerfFact]
    public async Task OneWay_AkkaBuiltInTcp_ForComparison()
    {
        var system = ((ActorMaterializer)_mat).System;
        var received = new TaskCompletionSource<Task<long>>();
        var binding = await system.TcpStream().Bind("127.0.0.1", 0).To(Sink.ForEach<Akka.Streams.Dsl.Tcp.IncomingConnection>(c =>
            // built-in Tcp() closes the whole connection when its upstream completes (no half-close by
            // default), so the reading side writes nothing and never completes its upstream
            received.TrySetResult(Source.Never<ByteString>().Via(c.Flow).RunAggregate(0L, (a, b) => a + b.Count, _mat))))
            .Run(_mat);
        try
        {
            var ep = (IPEndPoint)binding.LocalAddress;
            var sw = Stopwatch.StartNew();
            var all = Total / 8; // it is slow
            var chunk = ByteString.FromBytes(new byte[Chunk]);
            _ = Source.Repeat(chunk).Take(all / Chunk).Via(system.TcpStream().OutgoingConnection(ep.Address.ToString(), ep.Port))
                .RunWith(Sink.Ignore<ByteString>(), _mat);
            var bytes = await await received.Task;
            sw.Stop();
            Assert.Equal(all, bytes);
            Report("Akka Tcp() -> Tcp(), one way", bytes, sw);
        }
        finally
        {
            await binding.Unbind();
        }
    }
}
