using System.Diagnostics;
using Lb.Tests.DataPlane;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Health;

/// <summary>
/// Active and passive checks end to end: real backends on loopback, Lb in-process (or haproxy
/// with LB_DATAPLANE_PROXY=haproxy), the server states read from the stats CSV. Short
/// intervals (150-200 ms) keep each test to a few seconds.
/// </summary>
public sealed class HealthCheckTests : IClassFixture<ProxyFixture>
{
    private const int Inter = 200;

    /// <summary>Allowance for the probe, the stats polling and a busy shared machine, in ms.</summary>
    private const int Slack = 800;
    private readonly ProxyFixture _fx;
    private readonly ITestOutputHelper _out;

    public HealthCheckTests(ProxyFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    private static string Config(int fe, int stats, string backendLines) => $"""
        defaults
            mode http
            timeout connect 1s
            timeout client 10s
            timeout server 10s

        frontend fe
            bind 127.0.0.1:{fe}
            default_backend be

        backend be
            balance roundrobin
        {backendLines}

        listen stats
            bind 127.0.0.1:{stats}
            stats enable
            stats uri /stats

        """;

    private static bool Is(string status, string word) => status == word || status.StartsWith(word + " ", StringComparison.Ordinal);

    [Fact]
    public async Task TcpCheck_ServerKilledThenRestarted_DownAfterFallUpAfterRise()
    {
        await using var s1 = HealthBackend.Start("s1");
        await using var s2 = HealthBackend.Start("s2");
        int fe = Ports.Free(), st = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, st, $"""
                server s1 {s1.Address} check inter {Inter} rise 2 fall 2
                server s2 {s2.Address} check inter {Inter} rise 2 fall 2
            """));
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s2", s => s == "UP", TimeSpan.FromSeconds(3)));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 5, ["s2"] = 5 }, await Http.TallyAsync(fe, 10));

        await s2.StopAsync();
        var down = await Http.WaitStatusAsync(st, "be", "s2", s => s == "DOWN", TimeSpan.FromSeconds(3));
        _out.WriteLine($"DOWN after {down?.TotalMilliseconds:0} ms");
        Assert.NotNull(down);
        // From full health, fall 2 takes two failed checks, one 'inter' apart (plus the wait for the first).
        Assert.InRange(down!.Value.TotalMilliseconds, 0.9 * Inter, 2 * Inter + Slack);
        var row = await Http.StatsRowAsync(st, "be", "s2");
        Assert.Equal("L4CON", row["check_status"]);
        Assert.Equal("1", row["chkdown"]);
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 20 }, await Http.TallyAsync(fe, 20));

        s2.Restart();
        var up = await Http.WaitStatusAsync(st, "be", "s2", s => s == "UP", TimeSpan.FromSeconds(3));
        _out.WriteLine($"UP after {up?.TotalMilliseconds:0} ms");
        Assert.NotNull(up);
        Assert.InRange(up!.Value.TotalMilliseconds, 0.9 * Inter, 2 * Inter + Slack);
        Assert.Equal("L4OK", (await Http.StatsRowAsync(st, "be", "s2"))["check_status"]);
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 5, ["s2"] = 5 }, await Http.TallyAsync(fe, 10));
    }

    [Fact]
    public async Task HttpCheck_500IsDown_404WithDisableOn404IsNolb()
    {
        await using var s1 = HealthBackend.Start("s1");
        await using var s2 = HealthBackend.Start("s2");
        int fe = Ports.Free(), st = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, st, $"""
                option httpchk GET /health
                http-check disable-on-404
                server s1 {s1.Address} check inter {Inter} rise 2 fall 2
                server s2 {s2.Address} check inter {Inter} rise 2 fall 2
            """));
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s2", s => s == "UP", TimeSpan.FromSeconds(3)));
        Assert.True(s2.Checks.TryPeek(out var first));
        Assert.Equal("GET /health HTTP/1.0", first); // haproxy sends no header at all on HTTP/1.0

        s2.HealthStatus = 500;
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s2", s => s == "DOWN", TimeSpan.FromSeconds(3)));
        var row = await Http.StatsRowAsync(st, "be", "s2");
        Assert.Equal(("L7STS", "500"), (row["check_status"], row["check_code"]));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 10 }, await Http.TallyAsync(fe, 10));

        s2.HealthStatus = 200;
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s2", s => s == "UP", TimeSpan.FromSeconds(3)));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 5, ["s2"] = 5 }, await Http.TallyAsync(fe, 10));

        s2.HealthStatus = 404;
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s2", s => Is(s, "NOLB"), TimeSpan.FromSeconds(3)));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 10 }, await Http.TallyAsync(fe, 10));
        await Task.Delay(4 * Inter);
        Assert.True(Is((await Http.StatsRowAsync(st, "be", "s2"))["status"], "NOLB"), "a 404 must keep the server NOLB, never DOWN");

        s2.HealthStatus = 200;
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s2", s => s == "UP", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Backup_TakesOverWhenTheActiveServerIsDown_AndHandsBack()
    {
        await using var s1 = HealthBackend.Start("s1");
        await using var b1 = HealthBackend.Start("b1");
        int fe = Ports.Free(), st = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, st, $"""
                server s1 {s1.Address} check inter {Inter} rise 2 fall 2
                server b1 {b1.Address} check inter {Inter} rise 2 fall 2 backup
            """));
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s1", s => s == "UP", TimeSpan.FromSeconds(3)));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 6 }, await Http.TallyAsync(fe, 6));

        await s1.StopAsync();
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s1", s => s == "DOWN", TimeSpan.FromSeconds(3)));
        Assert.Equal(new Dictionary<string, int> { ["b1"] = 6 }, await Http.TallyAsync(fe, 6));

        s1.Restart();
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s1", s => s == "UP", TimeSpan.FromSeconds(3)));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 6 }, await Http.TallyAsync(fe, 6));
    }

    [Fact]
    public async Task ObserveLayer4_ConnectErrorsInTraffic_MarkDownLongBeforeTheNextActiveCheck()
    {
        await using var s1 = HealthBackend.Start("s1");
        await using var s2 = HealthBackend.Start("s2");
        int fe = Ports.Free(), st = Ports.Free();
        // Active checks every 30 s: only the passive check can take s2 down within the test.
        await using var proxy = await _fx.StartAsync(Config(fe, st, $"""
                retries 0
                server s1 {s1.Address} check inter 30s
                server s2 {s2.Address} check inter 30s observe layer4 error-limit 2 on-error mark-down
            """));
        await Task.Delay(100); // first checks (spread over the shortest inter's first moments) may still run
        await s2.StopAsync();
        var clock = Stopwatch.StartNew();
        var seen = await Http.TallyAsync(fe, 8);
        _out.WriteLine(string.Join(", ", seen.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s2", s => s == "DOWN", TimeSpan.FromSeconds(2)));
        Assert.Equal("1", (await Http.StatsRowAsync(st, "be", "s2"))["hanafail"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(new Dictionary<string, int> { ["s1"] = 10 }, await Http.TallyAsync(fe, 10));
    }

    [Fact]
    public async Task ObserveLayer7_Consecutive5xxInTraffic_FailCheckTakesItDown()
    {
        await using var s1 = HealthBackend.Start("s1");
        int fe = Ports.Free(), st = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, st, $"""
                option httpchk GET /health
                server s1 {s1.Address} check inter 30s rise 1 fall 1 observe layer7 error-limit 3 on-error fail-check
            """));
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s1", s => s == "UP", TimeSpan.FromSeconds(3)));
        s1.TrafficStatus = 501; // not an error for haproxy's layer-7 observer
        Assert.Equal(new Dictionary<string, int> { ["status 501"] = 4 }, await Http.TallyAsync(fe, 4));
        Assert.Equal("UP", (await Http.StatsRowAsync(st, "be", "s1"))["status"]);
        s1.TrafficStatus = 500;
        Assert.Equal(new Dictionary<string, int> { ["status 500"] = 2 }, await Http.TallyAsync(fe, 2));
        Assert.Equal("UP", (await Http.StatsRowAsync(st, "be", "s1"))["status"]);
        await Http.TallyAsync(fe, 1);
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s1", s => s == "DOWN", TimeSpan.FromSeconds(2)));
        Assert.Equal("1", (await Http.StatsRowAsync(st, "be", "s1"))["hanafail"]);
    }

    [Fact]
    public async Task HttpCheck_SendState_HeaderAsHaproxyWritesIt()
    {
        await using var s1 = HealthBackend.Start("s1");
        int fe = Ports.Free(), st = Ports.Free();
        await using var proxy = await _fx.StartAsync(Config(fe, st, $"""
                option httpchk GET /health HTTP/1.1
                http-check send hdr Host example.org
                http-check send-state
                server s1 {s1.Address} check inter {Inter}
            """));
        Assert.NotNull(await Http.WaitStatusAsync(st, "be", "s1", s => s == "UP", TimeSpan.FromSeconds(3)));
        // The second check is the first one sent with the server fully UP.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (s1.Checks.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var checks = s1.Checks.ToArray();
        Assert.True(checks.Length >= 2, $"{checks.Length} checks seen");
        Assert.Matches($@"^GET /health HTTP/1\.1\r\nhost: example\.org\r\nx-haproxy-server-state: UP 1/3; address=127\.0\.0\.1; port={s1.Port}; name=be/s1; node=[^;]+; weight=1/1; scur=0/0; qcur=0\r\nconnection: close$", checks[0]);
        Assert.Contains("x-haproxy-server-state: UP; address=", checks[1]);
    }
}
