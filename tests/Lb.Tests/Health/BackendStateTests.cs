using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Actors.Health;
using Lb.Config;
using Lb.Tests.DataPlane;
using Xunit;

namespace Lb.Tests.Health;

/// <summary>
/// The backend actor as the owner of server states: its checkers' reports become snapshots
/// (DOWN servers leave the balancer, backups serve when no active server is left), haproxy's
/// log lines, and cut sessions for 'on-marked-down shutdown-sessions'.
/// </summary>
public sealed class BackendStateTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;

    public BackendStateTests(ProxyFixture fx) => _fx = fx;

    private static BackendHandle Handle(string cfg) =>
        BackendRegistry.Build(ConfigLoader.LoadText(cfg, "t.cfg", _ => null).Config!).Find("be")!;

    private static async Task<bool> Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10);
        }
        return true;
    }

    [Fact]
    public async Task ServersGoingDown_LeaveTheSnapshot_BackupServes_LinesAsHaproxyPrintsThem()
    {
        await using var s1 = HealthBackend.Start("s1");
        await using var b1 = HealthBackend.Start("b1");
        var handle = Handle($"""
            backend be
                server s1 {s1.Address} check inter 100 fall 1 rise 1
                server m1 127.0.0.1:1 check disabled
                server b1 {b1.Address} check inter 100 fall 1 rise 1 backup
            """);
        var lines = new ConcurrentQueue<string>();
        var settings = new HealthCheckActor.Settings(new CheckSpread(2, TimeSpan.FromMilliseconds(100)), "node1");
        var actor = _fx.System.ActorOf(BackendActor.Props(handle, settings, 0, new HealthLog(lines.Enqueue, 7)));
        try
        {
            Assert.Equal("MAINT", handle.Snapshot.FindServer("m1")!.Health.Status);
            Assert.Equal(new[] { "s1" }, handle.Snapshot.Serving.Select(s => s.Name));

            await s1.StopAsync();
            Assert.True(await Eventually(() => handle.Snapshot.Active.IsEmpty, TimeSpan.FromSeconds(3)));
            Assert.Equal(new[] { "b1" }, handle.Snapshot.Serving.Select(s => s.Name));
            await b1.StopAsync();
            Assert.True(await Eventually(() => handle.Snapshot.Serving.IsEmpty, TimeSpan.FromSeconds(3)));
            Assert.True(await Eventually(() => lines.Count >= 3, TimeSpan.FromSeconds(3)));
            var m1 = handle.Snapshot.FindServer("m1")!.Health;
            Assert.Equal(("MAINT", 0L, (CheckStatus?)null), (m1.Status, m1.FailedChecks, m1.LastCheck)); // checks pause in MAINT
            var got = lines.ToArray();
            Assert.Matches(new Regex(@"^\[WARNING\]  \(7\) : Server be/s1 is DOWN, reason: Layer4 connection problem, info: ""Connection refused"", check duration: \d+ms\. 0 active and 1 backup servers left\. Running on backup\. 0 sessions active, 0 requeued, 0 remaining in queue\.$"), got[0]);
            Assert.Matches(new Regex(@"^\[WARNING\]  \(7\) : Backup Server be/b1 is DOWN, .* 0 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.$"), got[1]);
            Assert.Equal("[ALERT]    (7) : backend 'be' has no server available!", got[2]);

            s1.Restart();
            Assert.True(await Eventually(() => handle.Snapshot.Serving.Any(s => s.Name == "s1"), TimeSpan.FromSeconds(3)));
            Assert.True(await Eventually(() => lines.Any(l => l.Contains("Server be/s1 is UP, reason: Layer4 check passed")), TimeSpan.FromSeconds(3)));
            var s1Health = handle.Snapshot.FindServer("s1")!.Health;
            Assert.Equal(("UP", 1L, CheckStatus.L4Ok), (s1Health.Status, s1Health.Downs, s1Health.LastCheck!.Value));
        }
        finally
        {
            await actor.GracefulStop(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task SlowStart_ServerBackFromDown_RampsItsEffectiveWeight()
    {
        await using var s1 = HealthBackend.Start("s1");
        var handle = Handle($"""
            backend be
                server s1 {s1.Address} check inter 100 fall 1 rise 1 weight 10 slowstart 2s
            """);
        var settings = new HealthCheckActor.Settings(new CheckSpread(1, TimeSpan.FromMilliseconds(100)), "node1");
        var actor = _fx.System.ActorOf(BackendActor.Props(handle, settings, 0, new HealthLog(_ => { }, 1)));
        try
        {
            var s = handle.Snapshot.FindServer("s1")!;
            Assert.Equal(10, s.EffectiveWeight); // no ramp at start-up
            await s1.StopAsync();
            Assert.True(await Eventually(() => handle.Snapshot.Serving.IsEmpty, TimeSpan.FromSeconds(3)));
            s1.Restart();
            Assert.True(await Eventually(() => !handle.Snapshot.Serving.IsEmpty, TimeSpan.FromSeconds(3)));
            // haproxy's steps for weight 10 over 2 s: effective weight 10 x 1, then 10 x 9 (shown 6), then full.
            Assert.Equal((1, 10), (s.EffectiveWeight, s.ScaledWeight));
            Assert.True(await Eventually(() => s.EffectiveWeight == 6, TimeSpan.FromSeconds(2)));
            Assert.Equal(90, s.ScaledWeight);
            Assert.True(await Eventually(() => s.EffectiveWeight == 10, TimeSpan.FromSeconds(3)));
            Assert.Equal(160, s.ScaledWeight);
        }
        finally
        {
            await actor.GracefulStop(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task OnMarkedDownShutdownSessions_CutsAnEstablishedTcpSession()
    {
        // s1: an echo server whose listener we close while one connection through the proxy stays open.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var accepted = listener.AcceptAsync();
        int fe = Ports.Free();
        await using var proxy = await _fx.StartAsync($"""
            defaults
                mode tcp
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:{fe}
                default_backend be
            backend be
                server s1 127.0.0.1:{port} check inter 100 fall 2 on-marked-down shutdown-sessions
            """);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, fe);
        using var server = await accepted.WaitAsync(TimeSpan.FromSeconds(5));
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        var buf = new byte[16];
        Assert.Equal(4, await server.ReceiveAsync(buf, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5)));

        listener.Close(); // checks now fail; the established connection itself is still fine
        var read = client.ReceiveAsync(buf, SocketFlags.None);
        int n;
        try { n = await read.WaitAsync(TimeSpan.FromSeconds(3)); }
        catch (SocketException) { n = 0; }
        Assert.Equal(0, n); // closed by the proxy once the server was marked DOWN
    }
}
