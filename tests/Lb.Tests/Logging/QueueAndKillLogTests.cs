using System.Net.Sockets;
using Akka.Actor;
using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Logging;

/// <summary>
/// %sq/%bq (queue positions) and the 'K' termination state (sessions killed from the runtime
/// API): the same config and traffic through haproxy 2.6 and Lb, each logging to its own UDP
/// syslog listener; the fields that depend on the queues and the kills must agree.
/// </summary>
[Collection(Lb.Tests.Admin.ServerControlCollection.Name)]
public sealed class QueueAndKillLogTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("queuelog", Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lb-qlog-");

    public void Dispose()
    {
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
        _dir.Delete(recursive: true);
    }

    private static string Config(string sock, int syslog, int feQueue, int feHash, int feKill, int tcp, string server, string held) => $"""
        global
            stats socket {sock} level admin
        defaults
            log 127.0.0.1:{syslog} local0
            timeout connect 1s
            timeout client 10s
            timeout server 10s
            timeout queue 10s
        frontend fe_queue
            mode http
            option httplog
            bind 127.0.0.1:{feQueue}
            default_backend bk_rr
        backend bk_rr
            mode http
            server s1 {server} maxconn 1
        frontend fe_hash
            mode http
            option httplog
            bind 127.0.0.1:{feHash}
            default_backend bk_hash
        backend bk_hash
            mode http
            balance uri
            server h1 {server} maxconn 1
            server h2 {server} maxconn 1
        frontend fe_kill
            mode http
            option httplog
            bind 127.0.0.1:{feKill}
            default_backend bk_kill
        backend bk_kill
            mode http
            server k1 {held}
        listen tcp
            mode tcp
            option tcplog
            bind 127.0.0.1:{tcp}
            server t1 {held}

        """;

    /// <summary>Answers each request after 400 ms (the queue tests).</summary>
    private static TestServer SlowServer() => TestServer.Start("slow", async c =>
    {
        for (int k = 0; k < 100; k++)
        {
            var req = await c.ReadRequestAsync(TimeSpan.FromSeconds(20));
            if (req is null) return;
            await Task.Delay(400);
            await c.SendAsync(Handlers.Response200("ok " + req.Target));
            if (req.ConnectionHas("close")) return;
        }
    });

    /// <summary>Reads and never answers (the sessions the admin kills).</summary>
    private static TestServer HoldingServer() => TestServer.Start("held", async c =>
    {
        var buffer = new byte[4096];
        try
        {
            while (await c.Socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(20)) > 0) { }
        }
        catch (Exception e) when (e is SocketException or TimeoutException or ObjectDisposedException) { }
    });

    private async Task<List<string>> RunAsync(bool haproxy)
    {
        using var syslog = new SyslogListener();
        await using var slow = SlowServer();
        await using var held = HoldingServer();
        int feQueue = FreePort(), feHash = FreePort(), feKill = FreePort(), tcp = FreePort();
        var sock = Path.Combine(_dir.FullName, (haproxy ? "h" : "l") + ".sock");
        var cfg = Config(sock, syslog.Port, feQueue, feHash, feKill, tcp, slow.Address, held.Address);
        await using var proxy = haproxy ? await RunningProxy.StartHaproxyAsync(cfg) : await RunningProxy.StartLbAsync(_system, cfg);

        // Four requests 150 ms apart on a maxconn-1 server: served one after the other from the
        // queue (after a first request that warms the path up: Lb's first one is slower).
        var queued = new List<Task<string>>();
        foreach (var fe in new[] { feQueue, feHash })
        {
            Assert.StartsWith("HTTP/1.1 200", await ExchangeAsync(fe, Get("/warm")));
            for (int i = 1; i <= 4; i++)
            {
                queued.Add(ExchangeAsync(fe, Get($"/q{i}"), TimeSpan.FromSeconds(15)));
                await Task.Delay(150);
            }
            await Task.WhenAll(queued);
        }

        // An HTTP request waiting for its response, then a TCP session: killed by 'shutdown sessions server'.
        var waiting = ExchangeAsync(feKill, Get("/kill"), TimeSpan.FromSeconds(15));
        Assert.True(await WaitUntilAsync(() => Task.FromResult(held.Accepts >= 1), TimeSpan.FromSeconds(5)));
        await Task.Delay(100);
        Assert.Equal("\n", await CliAsync(sock, "shutdown sessions server bk_kill/k1"));
        Assert.StartsWith("HTTP/1.1 502", await waiting);

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", tcp);
        await client.GetStream().WriteAsync("hello\n"u8.ToArray());
        Assert.True(await WaitUntilAsync(() => Task.FromResult(held.Accepts >= 2), TimeSpan.FromSeconds(5)));
        await Task.Delay(100);
        Assert.Equal("\n", await CliAsync(sock, "shutdown sessions server tcp/t1"));

        // A TCP session killed by 'shutdown session ID'.
        using var client2 = new TcpClient();
        await client2.ConnectAsync("127.0.0.1", tcp);
        Assert.True(await WaitUntilAsync(() => Task.FromResult(held.Accepts >= 3), TimeSpan.FromSeconds(5)));
        var sess = (await CliAsync(sock, "show sess")).Split('\n').First(l => l.Contains("fe=tcp"));
        Assert.Equal("\n", await CliAsync(sock, "shutdown session " + sess[..sess.IndexOf(':')]));

        // An HTTP request waiting for its response, killed by 'shutdown session ID': 502, KH.
        var killed = ExchangeAsync(feKill, Get("/killone"), TimeSpan.FromSeconds(15));
        Assert.True(await WaitUntilAsync(() => Task.FromResult(held.Accepts >= 4), TimeSpan.FromSeconds(5)));
        await Task.Delay(100);
        var httpSess = (await CliAsync(sock, "show sess")).Split('\n').First(l => l.Contains("fe=fe_kill"));
        Assert.Equal("\n", await CliAsync(sock, "shutdown session " + httpSess[..httpSess.IndexOf(':')]));
        Assert.StartsWith("HTTP/1.1 502", await killed);

        var lines = await syslog.WaitForAsync(2 + 8 + 1 + 2 + 1, TimeSpan.FromSeconds(10));
        return lines.Select(l => Rfc3164Line.Parse(l).Message).ToList();
    }

    /// <summary>The fields compared: who served, status, termination state, queue positions.</summary>
    private static string Key(string message)
    {
        if (message.Contains("\"GET"))
        {
            var f = HttpLog.Parse(message);
            return $"{f["r"]} {f["b"]}/{(f["b"] == "bk_hash" ? "h" : f["s"])} {f["ST"]} {f["tsc"]} sq={f["sq"]} bq={f["bq"]}";
        }
        var t = TcpLog.Parse(message);
        return $"tcp {t["b"]}/{t["s"]} {t["ts"]} sq={t["sq"]} bq={t["bq"]}";
    }

    [Fact]
    public async Task QueuePositionsAndKills_SameTrafficAsHaproxy_SameFields()
    {
        var reference = (await RunAsync(haproxy: true)).Select(Key).Order(StringComparer.Ordinal).ToList();
        var lb = (await RunAsync(haproxy: false)).Select(Key).Order(StringComparer.Ordinal).ToList();
        Assert.True(reference.SequenceEqual(lb), $"haproxy:\n{string.Join("\n", reference)}\nLb:\n{string.Join("\n", lb)}");
        // Not vacuous: the queue positions and the kills are there.
        Assert.Contains(reference, k => k.Contains("bq=2"));
        Assert.Contains(reference, k => k.Contains("sq=1"));
        Assert.Contains(reference, k => k.Contains(" KH-- "));
        Assert.Contains(reference, k => k.Contains("/killone") && k.Contains(" 502 KH-- "));
        Assert.Contains(reference, k => k.Contains(" K- "));
    }
}
