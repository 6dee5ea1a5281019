using System.Net.Sockets;
using Akka.Actor;
using Lb.Actors.Logging;
using Lb.Config;
using Lb.Tests.DataPlane;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>
/// Logging never makes traffic wait: a full queue drops the line (counted), and a log target that
/// takes nothing (a syslog daemon that stopped reading its UNIX socket) costs the sender dropped
/// datagrams, not a blocked thread.
/// </summary>
public sealed class LogQueueTests : IClassFixture<ProxyFixture>, IDisposable
{
    private readonly ProxyFixture _fixture;
    private readonly string _dir = Directory.CreateTempSubdirectory("lb-log-").FullName;

    public LogQueueTests(ProxyFixture fixture) => _fixture = fixture;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A bound UNIX datagram socket that never reads: its queue fills after a few datagrams.</summary>
    private Socket StuckSyslog(out string path)
    {
        path = Path.Combine(_dir, "log.sock");
        var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        s.Bind(new UnixDomainSocketEndPoint(path));
        return s;
    }

    [Fact]
    public void Post_QueueFull_DropsAndCountsWithoutWaiting()
    {
        var loaded = ConfigLoader.LoadText("backend be\n    log 127.0.0.1:9 local0\n    server s1 127.0.0.1:1\n", "t.cfg", _ => null);
        using var service = new LogService(loaded.Config!, capacity: 8, startSender: false);
        var targets = service.For(loaded.Config!.Backends.Single())!;

        var accepted = Enumerable.Range(0, 100).Count(i => service.Post(targets, Syslog.Info, "line " + i));

        Assert.Equal(8, accepted);
        Assert.Equal(92, service.QueueDrops);
        Assert.Equal(92, service.Counters.Dropped);
    }

    [Fact]
    public async Task Sender_TargetNeverReads_DatagramsDroppedSenderKeepsGoing()
    {
        using var stuck = StuckSyslog(out var path);
        using var udp = new SyslogListener();
        var loaded = ConfigLoader.LoadText($"backend be\n    log {path} local0\n    log {udp.Address} local0\n    server s1 127.0.0.1:1\n", "t.cfg", _ => null);
        using var service = new LogService(loaded.Config!);
        var targets = service.For(loaded.Config!.Backends.Single())!;

        const int n = 200; // few enough for the UDP listener's receive buffer
        for (int i = 0; i < n; i++) Assert.True(service.Post(targets, Syslog.Info, "line " + i));

        // Every line reaches the UDP target although the UNIX one stopped taking any long ago
        // (the kernel queues 10 datagrams per UNIX socket by default: net.unix.max_dgram_qlen).
        await udp.WaitForAsync(n, TimeSpan.FromSeconds(20));
        Assert.True(service.SendErrors >= n - 100, $"the stuck target's datagrams are counted as dropped: {service.Counters}");
        Assert.Equal(2L * n, service.Sent + service.SendErrors);
    }

    [Fact]
    public async Task Traffic_LogTargetStuck_RequestsFlowAndDropsAreCounted()
    {
        using var stuck = StuckSyslog(out var path);
        await using var server = TestServer.Start("app", Handlers.HttpOk);
        int port = Ports.Free();
        var cfg = $"""
            global
                log {path} local0
            defaults
                mode http
                log global
                option httplog
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend web
                bind 127.0.0.1:{port}
                default_backend app
            backend app
                server s1 127.0.0.1:{server.Port}

            """;
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, cfg);

        const int connections = 4, requests = 100;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var c = await RawConnection.ConnectAsync(port);
            for (int i = 0; i < requests; i++)
            {
                await c.SendAsync(Handlers.Get("/r" + i));
                var response = await c.ReadResponseAsync("GET", TimeSpan.FromSeconds(10));
                Assert.Equal(200, response.Status);
            }
        })).WaitAsync(TimeSpan.FromSeconds(60));

        var log = _fixture.System.ActorSelection(proxy.Root!.Path / LogActor.Name);
        LogCounters counters = await log.Ask<LogCounters>(LogActor.GetCounters.Instance, TimeSpan.FromSeconds(5));
        for (int i = 0; i < 100 && counters.Sent + counters.Dropped < connections * requests; i++)
        {
            await Task.Delay(50);
            counters = await log.Ask<LogCounters>(LogActor.GetCounters.Instance, TimeSpan.FromSeconds(5));
        }
        Assert.Equal(connections * requests, counters.Sent + counters.Dropped);
        Assert.True(counters.Dropped > 0, $"lines dropped: {counters}");
        Assert.True(counters.Sent > 0, $"the first lines fit in the socket's queue: {counters}");
    }
}
