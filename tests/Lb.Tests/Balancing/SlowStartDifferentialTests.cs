using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Lb.Tests.Health;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Balancing;

/// <summary>
/// A server that comes back UP with 'slowstart 4s' gets a growing share of a roundrobin backend,
/// through haproxy and through Lb side by side: about 1/17 in its first second, then 5/21, 9/25,
/// 13/29 and half.
/// </summary>
[Collection(DifferentialTests.Name)]
public sealed class SlowStartDifferentialTests
{
    private readonly ITestOutputHelper _out;

    public SlowStartDifferentialTests(ITestOutputHelper output) => _out = output;

    private static string Config(int fe, HealthBackend s1, HealthBackend s2) => $"""
        global
            nbthread 1

        defaults
            mode http
            timeout connect 2s
            timeout client 10s
            timeout server 10s

        frontend fe
            bind 127.0.0.1:{fe}
            default_backend be

        backend be
            balance roundrobin
            option httpchk GET /health
            server s1 {s1.Address}
            server s2 {s2.Address} check inter 100 rise 1 fall 1 slowstart 4s

        """;

    /// <summary>s2's share of the requests in each second after its check passes again.</summary>
    private static async Task<double[]> SharesAsync(int port, Stopwatch since, int seconds)
    {
        var s2 = new int[seconds];
        var all = new int[seconds];
        for (int guard = 0; guard < 100_000; guard++)
        {
            int bucket = (int)(since.ElapsedMilliseconds / 1000);
            if (bucket >= seconds) break;
            var (status, body) = await Lb.Tests.Health.Http.GetAsync(port);
            Assert.Equal(200, status);
            all[bucket]++;
            if (body == "s2") s2[bucket]++;
            await Task.Delay(5);
        }
        return all.Select((n, i) => n == 0 ? double.NaN : (double)s2[i] / n).ToArray();
    }

    [Fact]
    public async Task SlowStart_ServerBackUp_ShareGrowsLikeHaproxy()
    {
        await using var s1 = HealthBackend.Start("s1");
        await using var s2 = HealthBackend.Start("s2");
        s2.HealthStatus = 503;
        int haPort = Ports.Free(), lbPort = Ports.Free();
        using var system = ActorSystem.Create("slowstart", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        await using var haproxy = await RunningProxy.StartHaproxyAsync(Config(haPort, s1, s2));
        await using var lb = await RunningProxy.StartLbAsync(system, Config(lbPort, s1, s2));

        // Both see s2 DOWN (a checked server starts one failed check away from it).
        await WaitOnlyAsync(haPort, "s1");
        await WaitOnlyAsync(lbPort, "s1");

        s2.HealthStatus = 200;
        var since = Stopwatch.StartNew();
        var fromHaproxy = SharesAsync(haPort, since, 6);
        var fromLb = SharesAsync(lbPort, since, 6);
        var expected = await fromHaproxy;
        var actual = await fromLb;
        _out.WriteLine("haproxy: " + string.Join(" ", expected.Select(x => x.ToString("F2"))));
        _out.WriteLine("lb:      " + string.Join(" ", actual.Select(x => x.ToString("F2"))));

        foreach (var shares in new[] { expected, actual })
        {
            Assert.InRange(shares[0], 0.0, 0.2);   // 1/17 once up (0 before the check passes)
            Assert.InRange(shares[5], 0.4, 0.6);   // full speed: half
            Assert.True(shares[2] > shares[0] && shares[4] > shares[2], "the share grows");
        }
        // Second by second within 0.15 of haproxy (the checks pass at slightly different moments).
        for (int i = 0; i < expected.Length; i++) Assert.InRange(actual[i], expected[i] - 0.15, expected[i] + 0.15);
    }

    private static async Task WaitOnlyAsync(int port, string server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        int inARow = 0;
        while (inARow < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {server} should answer on {port}");
            var (_, body) = await Lb.Tests.Health.Http.GetAsync(port);
            inARow = body == server ? inARow + 1 : 0;
        }
    }
}
