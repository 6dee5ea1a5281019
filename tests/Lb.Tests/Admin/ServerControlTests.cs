using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Admin;

/// <summary>
/// 'set maxconn server', 'set server ... addr|check-addr|check-port' on a running node: the same
/// commands on the real haproxy 2.6 and on Lb give the same bytes, and the changes reach the
/// traffic (queued requests let in, new connections and checks to the new address).
/// </summary>
[Collection(Lb.Tests.Admin.ServerControlCollection.Name)]
public sealed class ServerControlTests : IClassFixture<ProxyFixture>, IDisposable
{
    private readonly ProxyFixture _fixture;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lb-srvctl-");

    public ServerControlTests(ProxyFixture fixture) => _fixture = fixture;

    public void Dispose() => _dir.Delete(recursive: true);

    private string Sock(string name) => Path.Combine(_dir.FullName, name + ".sock");

    private static string Config(string sock, int fe, string backend) => $"""
        global
            stats socket {sock} level admin

        defaults
            mode http
            timeout connect 1s
            timeout client 10s
            timeout server 10s
            timeout queue 10s

        frontend fe
            bind 127.0.0.1:{fe}
            default_backend bk

        backend bk
        {backend}

        """;

    [Fact]
    public async Task SetMaxconnAndAddress_SameCommands_SameRepliesAsHaproxy()
    {
        // Nothing listens on the servers: only the replies and the stats are compared.
        int p1 = FreePort(), p2 = FreePort(), p3 = FreePort();
        var backend = $"""
                server s1 127.0.0.1:{p1} maxconn 5
                server s2 127.0.0.1:{p2} check inter 30s
            """;
        string[] commands =
        [
            "set maxconn server bk/s1 10", "set maxconn server bk/s1", "set maxconn server bk/s1 abc",
            "set maxconn server bk/s1 12x", "set maxconn server bk/zz 5", "set maxconn server bk/s2 7",
            "set maxconn server bk/s1 +20",
            "set server bk/s1 addr 127.0.0.2", "set server bk/s1 addr 127.0.0.2",
            $"set server bk/s1 addr 127.0.0.3 port {p3}", $"set server bk/s1 addr 127.0.0.3 port {p3}",
            "set server bk/s1 addr bad", "set server bk/s1 addr 127.1", "set server bk/s1 addr 127.0.0.4 port x",
            "set server bk/s1 addr", "set server bk/s1 addr ::1", $"set server bk/s1 addr 127.0.0.1 port {p1}",
            "set server bk/s2 check-addr 127.0.0.9", $"set server bk/s2 check-port {p3}", "set server bk/s2 check-port",
            "set server bk/s2 check-port 70000", "set server bk/s2 check-port abc", "set server bk/s2 check-addr",
            "set server bk/s2 check-addr bad", $"set server bk/s2 check-addr 127.0.0.1 port {p2}",
            "set server bk/s1 check-port 5", "set server bk/s1 check-addr 127.0.0.1",
        ];
        var replies = new Dictionary<string, List<string>>();
        var stats = new Dictionary<string, string>();
        foreach (var (who, start) in new (string, Func<string, Task<RunningProxy>>)[]
                 { ("haproxy", RunningProxy.StartHaproxyAsync), ("lb", cfg => RunningProxy.StartLbAsync(_fixture.System, cfg)) })
        {
            var sock = Sock(who);
            await using var proxy = await start(Config(sock, FreePort(), backend));
            var list = replies[who] = [];
            foreach (var c in commands) list.Add(await CliAsync(sock, c));
            var rows = ParseCsv(await CliAsync(sock, "show stat")).Rows;
            stats[who] = string.Join(" | ", new[] { "s1", "s2" }.Select(s => $"{s} slim={rows[("bk", s)]["slim"]} addr={rows[("bk", s)]["addr"]}"));
        }
        for (int i = 0; i < commands.Length; i++)
            Assert.True(replies["haproxy"][i] == replies["lb"][i], $"'{commands[i]}': haproxy '{replies["haproxy"][i]}', Lb '{replies["lb"][i]}'");
        Assert.Equal(stats["haproxy"], stats["lb"]);
        Assert.Contains("s2 slim=7", stats["lb"]);
    }

    /// <summary>An HTTP backend holding each response until the test lets it go.</summary>
    private static TestServer HeldServer(string name, TaskCompletionSource release, Action arrived) => TestServer.Start(name, async c =>
    {
        for (int k = 0; k < 100; k++)
        {
            var req = await c.ReadRequestAsync(TimeSpan.FromSeconds(20));
            if (req is null) return;
            arrived();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await c.SendAsync(Handlers.Response200(name, ("X-Server", name)));
            if (req.ConnectionHas("close")) return;
        }
    });

    /// <summary>Waits until the frontend holds <paramref name="clients"/> sessions, one at the server, the others queued.</summary>
    private static async Task WaitQueuedAsync(string sock, int clients)
    {
        Assert.True(await WaitUntilAsync(async () =>
        {
            var rows = ParseCsv(await CliAsync(sock, "show stat")).Rows;
            return rows[("fe", "FRONTEND")]["scur"] == clients.ToString() && rows[("bk", "s1")]["scur"] == "1";
        }, TimeSpan.FromSeconds(10)), "the requests did not arrive");
        await Task.Delay(300);
    }

    [Fact]
    public async Task SetMaxconnServer_Raised_QueuedRequestsGoToTheServerAtOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int arrived = 0;
        await using var server = HeldServer("s1", release, () => Interlocked.Increment(ref arrived));
        int fe = FreePort();
        await using var lb = await RunningProxy.StartLbAsync(_fixture.System, Config(Sock("q"), fe, $"    server s1 {server.Address} maxconn 1"));
        var requests = Enumerable.Range(0, 3).Select(_ => ExchangeAsync(fe, Get("/"), TimeSpan.FromSeconds(20))).ToArray();
        await WaitQueuedAsync(Sock("q"), 3);
        Assert.Equal(1, Volatile.Read(ref arrived));

        Assert.Equal("\n", await CliAsync(Sock("q"), "set maxconn server bk/s1 3"));
        Assert.True(await WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref arrived) == 3), TimeSpan.FromSeconds(5)), $"arrived {arrived}");
        var row = ParseCsv(await CliAsync(Sock("q"), "show stat")).Rows[("bk", "s1")];
        Assert.Equal(("0", "3", "3"), (row["qcur"], row["scur"], row["slim"]));
        release.SetResult();
        foreach (var r in await Task.WhenAll(requests)) Assert.StartsWith("HTTP/1.1 200", r);
    }

    [Fact]
    public async Task SetMaxconnServer_Zero_LimitRemovedAndQueueEmptied()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int arrived = 0;
        await using var server = HeldServer("s1", release, () => Interlocked.Increment(ref arrived));
        int fe = FreePort();
        await using var lb = await RunningProxy.StartLbAsync(_fixture.System, Config(Sock("z"), fe, $"    server s1 {server.Address} maxconn 1"));
        var requests = Enumerable.Range(0, 4).Select(_ => ExchangeAsync(fe, Get("/"), TimeSpan.FromSeconds(20))).ToArray();
        await WaitQueuedAsync(Sock("z"), 4);
        Assert.Equal("\n", await CliAsync(Sock("z"), "set maxconn server bk/s1 0"));
        Assert.True(await WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref arrived) == 4), TimeSpan.FromSeconds(5)), $"arrived {arrived}");
        Assert.Equal("", ParseCsv(await CliAsync(Sock("z"), "show stat")).Rows[("bk", "s1")]["slim"]);
        release.SetResult();
        foreach (var r in await Task.WhenAll(requests)) Assert.StartsWith("HTTP/1.1 200", r);
    }

    private static Func<RawConnection, Task> Named(string name) => async c =>
    {
        for (int k = 0; k < 1000; k++)
        {
            var req = await c.ReadRequestAsync(TimeSpan.FromSeconds(20));
            if (req is null) return;
            await c.SendAsync(Handlers.Response200(name, ("X-Server", name)));
            if (req.ConnectionHas("close")) return;
        }
    };

    [Fact]
    public async Task SetServerAddr_NewAddress_NewRequestsAndChecksGoThereAndIdleConnectionsClose()
    {
        await using var old = TestServer.Start("old", Named("old"));
        await using var next = TestServer.Start("next", Named("next"));
        int fe = FreePort();
        await using var lb = await RunningProxy.StartLbAsync(_fixture.System,
            Config(Sock("a"), fe, $"    http-reuse always\n    option httpchk GET /\n    server s1 {old.Address} check inter 200ms"));
        var sock = Sock("a");
        // A keep-alive request leaves an idle connection to the old address in the server's pool.
        Assert.Contains("old", await ExchangeAsync(fe, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", TimeSpan.FromSeconds(1)));
        Assert.True(await WaitUntilAsync(() => Task.FromResult(old.OpenConnections >= 1), TimeSpan.FromSeconds(3)));

        Assert.Equal($"no need to change the addr, port changed from '{old.Port}' to '{next.Port}' by 'stats socket command'\n\n",
            await CliAsync(sock, $"set server bk/s1 addr 127.0.0.1 port {next.Port}"));
        Assert.True(await WaitUntilAsync(() => Task.FromResult(old.OpenConnections == 0), TimeSpan.FromSeconds(3)), "the idle connection to the old address was not closed");
        int checksBefore = next.Accepts;
        Assert.StartsWith("HTTP/1.1 200", await ExchangeAsync(fe, Get("/")));
        Assert.True(next.Accepts > checksBefore);
        Assert.True(await WaitUntilAsync(() => Task.FromResult(next.Accepts >= checksBefore + 3), TimeSpan.FromSeconds(3)), "health checks do not reach the new address");
        int oldAccepts = old.Accepts;
        await Task.Delay(500);
        Assert.Equal(oldAccepts, old.Accepts);
        Assert.Equal($"127.0.0.1:{next.Port}", ParseCsv(await CliAsync(sock, "show stat")).Rows[("bk", "s1")]["addr"]);

        // check-port moves the checks only.
        Assert.Equal("\n", await CliAsync(sock, $"set server bk/s1 check-port {old.Port}"));
        Assert.True(await WaitUntilAsync(() => Task.FromResult(old.Accepts >= oldAccepts + 2), TimeSpan.FromSeconds(3)), "checks do not follow check-port");
        Assert.Contains("next", await ExchangeAsync(fe, Get("/")));
    }
}
