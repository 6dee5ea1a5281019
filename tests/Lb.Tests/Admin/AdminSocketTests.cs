using System.Net.Sockets;
using System.Text;
using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Admin;

/// <summary>The runtime API on real UNIX sockets of an in-process Lb, in front of real backends.</summary>
public sealed class AdminSocketTests : IClassFixture<ProxyFixture>, IDisposable
{
    private readonly ProxyFixture _fixture;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lb-admin-");

    public AdminSocketTests(ProxyFixture fixture) => _fixture = fixture;

    public void Dispose() => _dir.Delete(recursive: true);

    private string Sock(string name) => Path.Combine(_dir.FullName, name + ".sock");

    private Task<RunningProxy> Start(string body, string global = "") => RunningProxy.StartLbAsync(_fixture.System, $"""
        global
            stats socket {Sock("admin")} mode 600 level admin
            stats timeout 2m
        {global}
        defaults
            mode http
            timeout connect 1s
            timeout client 10s
            timeout server 10s

        {body}

        """);

    private static async Task<Dictionary<string, int>> Tally(int port, int n)
    {
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < n; i++)
        {
            var r = await ExchangeAsync(port, Get("/"));
            var name = r.Split("\r\n").FirstOrDefault(l => l.StartsWith("x-server:", StringComparison.OrdinalIgnoreCase))?[9..].Trim() ?? r.Split("\r\n")[0];
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return counts;
    }

    private static string Status(string csv, string backend, string server) => ParseCsv(csv).Rows[(backend, server)]["status"];

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task StatsSockets_ModeAndLevel_FileModeAppliedAndEachSocketAtItsLevel()
    {
        int fe = FreePort();
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{fe}\n    default_backend bk\nbackend bk\n    server s1 127.0.0.1:{FreePort()}",
            $"    stats socket {Sock("user")} mode 660 level user\n    stats socket {Sock("oper")}\n");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Sock("admin")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(Sock("user")));
        Assert.Equal("admin\n\n", await CliAsync(Sock("admin"), "show cli level"));
        Assert.Equal("user\n\n", await CliAsync(Sock("user"), "show cli level"));
        Assert.Equal("operator\n\n", await CliAsync(Sock("oper"), "show cli level"));
        Assert.Equal("Permission denied\n\n", await CliAsync(Sock("user"), "disable server bk/s1"));
        Assert.Equal("Permission denied\n\n", await CliAsync(Sock("oper"), "disable server bk/s1"));
        Assert.Equal("Permission denied\n\n", await CliAsync(Sock("user"), "clear counters"));
        Assert.Equal("\n", await CliAsync(Sock("oper"), "clear counters"));
        Assert.Equal("Permission denied\n\n", await CliAsync(Sock("oper"), "clear counters all"));
        Assert.Equal("\n", await CliAsync(Sock("admin"), "clear counters all"));
        Assert.Equal("1 (initial 1)\n\n", await CliAsync(Sock("user"), "get weight bk/s1"));
        Assert.Equal($"# socket lvl processes\nunix@{Sock("admin")} admin all\nunix@{Sock("user")} user all\nunix@{Sock("oper")} operator all\n\n",
            await CliAsync(Sock("user"), "show cli sockets"));
    }

    [Fact]
    public async Task StatsSocket_NodeStops_SocketFileRemoved()
    {
        var lb = await Start($"frontend fe\n    bind 127.0.0.1:{FreePort()}\n    default_backend bk\nbackend bk\n    server s1 127.0.0.1:{FreePort()}");
        Assert.True(File.Exists(Sock("admin")));
        await lb.DisposeAsync();
        Assert.True(await WaitUntilAsync(() => Task.FromResult(!File.Exists(Sock("admin"))), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task DisableEnableServerAndStates_TrafficFollowsTheAdminState()
    {
        await using var s1 = TestServer.Start("s1", Backend);
        await using var s2 = TestServer.Start("s2", Backend);
        int fe = FreePort();
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{fe}\n    default_backend bk\nbackend bk\n    balance roundrobin\n    server s1 {s1.Address}\n    server s2 {s2.Address}");
        var admin = Sock("admin");
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 2, ["s2"] = 2 }, await Tally(fe, 4));

        Assert.Equal("\n", await CliAsync(admin, "disable server bk/s1"));
        Assert.Equal("MAINT", Status(await CliAsync(admin, "show stat"), "bk", "s1"));
        Assert.Equal(new Dictionary<string, int> { ["s2"] = 4 }, await Tally(fe, 4));
        Assert.Equal("\n", await CliAsync(admin, "enable server bk/s1"));
        Assert.Equal("no check", Status(await CliAsync(admin, "show stat"), "bk", "s1"));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 2, ["s2"] = 2 }, await Tally(fe, 4));

        Assert.Equal("\n", await CliAsync(admin, "set server bk/s2 state drain"));
        Assert.Equal("DRAIN", Status(await CliAsync(admin, "show stat"), "bk", "s2"));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 4 }, await Tally(fe, 4));
        Assert.Equal("\n", await CliAsync(admin, "set server bk/s2 state maint"));
        Assert.Equal("MAINT", Status(await CliAsync(admin, "show stat"), "bk", "s2"));
        Assert.Contains("3 bk 2 s2 127.0.0.1 2 1 ", await CliAsync(admin, "show servers state bk"));
        Assert.Equal("\n", await CliAsync(admin, "set server bk/s2 state ready"));

        Assert.Equal("\n", await CliAsync(admin, "set weight bk/s1 0"));
        Assert.Equal("0 (initial 1)\n\n", await CliAsync(admin, "get weight bk/s1"));
        Assert.Equal(new Dictionary<string, int> { ["s2"] = 4 }, await Tally(fe, 4));
        Assert.Equal("\n", await CliAsync(admin, "set server bk/s1 weight 300%"));
        Assert.Equal("3 (initial 1)\n\n", await CliAsync(admin, "get weight bk/s1"));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 3, ["s2"] = 1 }, await Tally(fe, 4));
    }

    [Fact]
    public async Task Prompt_InteractiveSession_AnswersEveryLineWithAPromptUntilQuit()
    {
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{FreePort()}\n    default_backend bk\nbackend bk\n    server s1 127.0.0.1:{FreePort()} weight 7");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Sock("admin")));
        async Task<string> Say(string line, int expect)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None);
            var sb = new StringBuilder();
            var buf = new byte[4096];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (sb.Length < expect)
            {
                int n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                if (n == 0) break;
                sb.Append(Encoding.ASCII.GetString(buf, 0, n));
            }
            return sb.ToString();
        }
        Assert.Equal("\n> ", await Say("prompt", 3));
        Assert.Equal("7 (initial 7)\n\n> ", await Say("get weight bk/s1", 17));
        Assert.Equal("admin\n\n> 7 (initial 7)\n\n> ", await Say("show cli level;get weight bk/s1", 25));
        Assert.Equal("\n> ", await Say("operator", 3));
        Assert.Equal("Permission denied\n\n> ", await Say("disable server bk/s1", 21));
        await socket.SendAsync(Encoding.ASCII.GetBytes("quit\n"), SocketFlags.None);
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await socket.ReceiveAsync(new byte[16], SocketFlags.None, done.Token));
    }

    [Fact]
    public async Task NonInteractive_TwoLines_OnlyTheFirstIsAnsweredThenClosed()
    {
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{FreePort()}\n    default_backend bk\nbackend bk\n    server s1 127.0.0.1:{FreePort()}");
        Assert.Equal("1 (initial 1)\n\n", await CliAsync(Sock("admin"), "get weight bk/s1\nget weight bk/s1"));
    }

    [Fact]
    public async Task StatsTimeout_IdlePromptSession_IsClosed()
    {
        await using var lb = await RunningProxy.StartLbAsync(_fixture.System, $"""
            global
                stats socket {Sock("admin")} level admin
                stats timeout 1s
            defaults
                mode http
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            backend bk
                server s1 127.0.0.1:{FreePort()}

            """);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Sock("admin")));
        // The idle timer starts once the answer is written, so after the line was sent.
        var started = DateTime.UtcNow;
        await socket.SendAsync(Encoding.ASCII.GetBytes("prompt\n"), SocketFlags.None);
        var buf = new byte[64];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(3, await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token));
        Assert.Equal(0, await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(4.5));
    }

    [Fact]
    public async Task ShowSessAndShutdownSession_LiveConnection_ListedThenCut()
    {
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        int tcp = FreePort();
        await using var lb = await Start($"listen t\n    mode tcp\n    bind 127.0.0.1:{tcp}\n    server e {echo.Address}");
        using var client = await RawConnection.ConnectAsync(tcp);
        await client.SendAsync("ping");
        Assert.True(await WaitUntilAsync(async () => (await CliAsync(Sock("admin"), "show sess")).Contains("fe=t"), TimeSpan.FromSeconds(5)));
        var line = (await CliAsync(Sock("admin"), "show sess")).Split('\n').First(l => l.Contains("fe=t"));
        Assert.Matches(@"^0x[0-9a-f]+: proto=tcpv4 src=127\.0\.0\.1:\d+ fe=t be=t srv=<none> ts=00 epoch=0 age=\d+s ", line);
        var id = line[..line.IndexOf(':')];
        Assert.Equal("\n", await CliAsync(Sock("admin"), "shutdown session " + id));
        Assert.Equal("No such session (use 'show sess').\n\n", await CliAsync(Sock("admin"), "shutdown session 0xffffff"));
        var buf = new byte[64];
        int n = 1;
        for (int i = 0; i < 10 && n > 0; i++)
        {
            try { n = await client.ReadIntoAsync(buf, TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is SocketException or IOException) { n = 0; }
        }
        Assert.Equal(0, n);
    }

    [Fact]
    public async Task DisableFrontend_NewConnectionWaitsUntilEnabled()
    {
        await using var s1 = TestServer.Start("s1", Backend);
        int fe = FreePort();
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{fe}\n    default_backend bk\nbackend bk\n    server s1 {s1.Address}");
        var admin = Sock("admin");
        Assert.Equal("\n", await CliAsync(admin, "disable frontend fe"));
        Assert.Equal("All sockets are already disabled.\n\n", await CliAsync(admin, "disable frontend fe"));
        Assert.Equal("PAUSED", ParseCsv(await CliAsync(admin, "show stat")).Rows[("fe", "FRONTEND")]["status"]);
        var pending = ExchangeAsync(fe, Get("/"));
        await Task.Delay(400);
        Assert.False(pending.IsCompleted);
        Assert.Equal("\n", await CliAsync(admin, "enable frontend fe"));
        Assert.StartsWith("HTTP/1.1 200", await pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("All sockets are already enabled.\n\n", await CliAsync(admin, "enable frontend fe"));
        Assert.Equal("\n", await CliAsync(admin, "shutdown frontend fe"));
        Assert.Equal("STOP", ParseCsv(await CliAsync(admin, "show stat")).Rows[("fe", "FRONTEND")]["status"]);
        Assert.Equal("Frontend was previously shut down, cannot enable.\n\n", await CliAsync(admin, "enable frontend fe"));
        await Assert.ThrowsAnyAsync<SocketException>(() => RawConnection.ConnectAsync(fe, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task SetMaxconnAndRateLimit_ShownInShowStatAndShowInfo()
    {
        int fe = FreePort();
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{fe}\n    default_backend bk\nbackend bk\n    server s1 127.0.0.1:{FreePort()}", "    maxconn 300\n");
        var admin = Sock("admin");
        Assert.Equal("300", ParseCsv(await CliAsync(admin, "show stat")).Rows[("fe", "FRONTEND")]["slim"]);
        Assert.Equal("\n", await CliAsync(admin, "set maxconn frontend fe 42"));
        Assert.Equal("42", ParseCsv(await CliAsync(admin, "show stat")).Rows[("fe", "FRONTEND")]["slim"]);
        Assert.Equal("\n", await CliAsync(admin, "set maxconn global 1000"));
        Assert.Equal("\n", await CliAsync(admin, "set rate-limit sessions global 77"));
        var info = await CliAsync(admin, "show info");
        Assert.Contains("\nMaxconn: 1000\n", info);
        Assert.Contains("\nSessRateLimit: 77\n", info);
        foreach (var key in new[] { "Name", "Version", "Pid", "Uptime", "Uptime_sec", "CurrConns", "CumConns", "CumReq", "node" })
            Assert.Matches($"(?m)^{key}: \\S", info);
    }

    [Fact]
    public async Task ClearCounters_AllAfterTraffic_TotalsBackToZero()
    {
        await using var s1 = TestServer.Start("s1", Backend);
        int fe = FreePort();
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{fe}\n    default_backend bk\nbackend bk\n    server s1 {s1.Address}");
        var admin = Sock("admin");
        await Tally(fe, 3);
        Assert.True(await WaitUntilAsync(async () => ParseCsv(await CliAsync(admin, "show stat")).Rows[("fe", "FRONTEND")]["stot"] == "3", TimeSpan.FromSeconds(5)));
        var rows = ParseCsv(await CliAsync(admin, "show stat")).Rows;
        Assert.Equal("3", rows[("bk", "s1")]["hrsp_2xx"]);
        Assert.Equal("3", rows[("bk", "BACKEND")]["req_tot"]);
        Assert.Equal("\n", await CliAsync(admin, "clear counters"));
        Assert.Equal("3", ParseCsv(await CliAsync(admin, "show stat")).Rows[("bk", "s1")]["hrsp_2xx"]);
        Assert.Equal("\n", await CliAsync(admin, "clear counters all"));
        rows = ParseCsv(await CliAsync(admin, "show stat")).Rows;
        Assert.Equal("0", rows[("bk", "s1")]["hrsp_2xx"]);
        Assert.Equal("0", rows[("bk", "BACKEND")]["req_tot"]);
        Assert.Equal("0", rows[("fe", "FRONTEND")]["stot"]);
    }

    [Fact]
    public async Task StatsSocket_PathInMissingDirectory_StartFails()
    {
        var bad = Path.Combine(_dir.FullName, "no", "such", "dir", "x.sock");
        await Assert.ThrowsAnyAsync<Exception>(() => RunningProxy.StartLbAsync(_fixture.System, $"""
            global
                stats socket {bad} level admin
            defaults
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            backend bk
                server s1 127.0.0.1:1

            """));
    }

    [Fact]
    public async Task ShowAndClearTable_StickOnSrc_HaproxysLinesAndFilters()
    {
        await using var s1 = TestServer.Start("s1", Backend);
        int fe = FreePort();
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{fe}\n    default_backend bk\nbackend bk\n" +
            $"    stick-table type ip size 200k expire 30m store conn_cnt,http_req_rate(10s)\n    stick on src\n    server s1 {s1.Address}");
        var admin = Sock("admin");
        Assert.Equal("# table: bk, type: ip, size:204800, used:0\n\n", await CliAsync(admin, "show table"));
        Assert.StartsWith("HTTP/1.1 200", await ExchangeAsync(fe, Get("/")));
        var dump = await CliAsync(admin, "show table bk");
        Assert.Matches(@"^# table: bk, type: ip, size:204800, used:1\n0x[0-9a-f]+: key=127\.0\.0\.1 use=0 exp=\d+ server_id=1 conn_cnt=0 http_req_rate\(10000\)=0 server_key=s1\n\n$", dump);
        Assert.Contains("key=127.0.0.1", await CliAsync(admin, "show table bk data.server_id eq 1"));
        Assert.DoesNotContain("key=", await CliAsync(admin, "show table bk data.conn_cnt gt 5"));
        Assert.Equal("\n", await CliAsync(admin, "show table bk key 10.0.0.1"));
        Assert.Equal("Filter entry #1: Unknown data type\n\n", await CliAsync(admin, "show table bk data.foo eq 1"));
        Assert.Equal("\n", await CliAsync(admin, "clear table bk key 127.0.0.1"));
        Assert.Equal("# table: bk, type: ip, size:204800, used:0\n\n", await CliAsync(admin, "show table bk"));
    }

    [Fact]
    public async Task ShowErrors_InvalidRequest_CapturedWithItsBytes()
    {
        int fe = FreePort();
        await using var lb = await Start($"frontend fe\n    bind 127.0.0.1:{fe}\n    default_backend bk\nbackend bk\n    server s1 127.0.0.1:{FreePort()}");
        Assert.Matches(@"^Total events captured on \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] : 0\n\n$", await CliAsync(Sock("admin"), "show errors"));
        Assert.StartsWith("HTTP/1.1 400", await ExchangeAsync(fe, "GET / HTTP/1.1\r\nHost: test\r\nBad Header\r\n\r\n"));
        var text = await CliAsync(Sock("admin"), "show errors");
        Assert.Matches(@"^Total events captured on \[[^\]]+\] : 1\n \n\[[^\]]+\] frontend fe \(#2\): invalid request\n  backend <NONE> \(#-1\), server <NONE> \(#-1\), event #0, src 127\.0\.0\.1:\d+\n", text);
        Assert.Contains("  00000  GET / HTTP/1.1\\r\\n\n  00016  Host: test\\r\\n\n  00028  Bad Header\\r\\n\n", text);
        Assert.Equal("\nPermission denied\n\n", await CliAsync(Sock("admin"), "user;show errors"));
    }

    [Fact]
    public async Task SetRateLimitSessions_BurstOfConnections_IsSpreadOverTime()
    {
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        int tcp = FreePort();
        await using var lb = await Start($"listen t\n    mode tcp\n    bind 127.0.0.1:{tcp}\n    server e {echo.Address}");
        async Task<TimeSpan> Burst(int n)
        {
            var started = DateTime.UtcNow;
            await Task.WhenAll(Enumerable.Range(0, n).Select(async _ =>
            {
                using var c = await RawConnection.ConnectAsync(tcp);
                await c.SendAsync("x");
                var buf = new byte[1];
                Assert.Equal(1, await c.ReadIntoAsync(buf, TimeSpan.FromSeconds(10)));
            })).WaitAsync(TimeSpan.FromSeconds(20));
            return DateTime.UtcNow - started;
        }
        Assert.Equal("\n", await CliAsync(Sock("admin"), "set rate-limit sessions global 4"));
        await Task.Delay(1100); // the start-up's own sessions are out of the rate window
        var limited = await Burst(12);
        Assert.True(limited > TimeSpan.FromMilliseconds(900), $"12 sessions at 4/s took only {limited}");
        Assert.Equal("\n", await CliAsync(Sock("admin"), "set rate-limit sessions global 0"));
        var free = await Burst(12);
        Assert.True(free < limited, $"without the limit {free}, with it {limited}");
    }
}
