using Lb.Actors.Balancing;
using Lb.Actors.Health;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Balancing;

/// <summary>The dynamic algorithms follow the slowstart ramp (HAProxy's effective weight); the static ones do not.</summary>
public sealed class SlowStartBalancingTests
{
    private static Dictionary<string, int> Counts(IBalancer b, int picks) =>
        Servers.Sequence(b, picks).Split(' ').GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void RoundRobin_RampingServer_ShareGrowsWithEachStep()
    {
        var servers = Servers.Make(1, 1);
        var ramping = servers[1];
        // haproxy's factors for a 4 s slowstart: 1, 5, 9, 13, then 16 (full).
        int[] factors = [1, 5, 9, 13, 16];
        IBalancer? b = null;
        var shares = new List<int>();
        foreach (var f in factors)
        {
            ramping.SetRamp(f, 0);
            b = new RoundRobinBalancer(Servers.Groups(servers), b as RoundRobinBalancer);
            // One rotation window is 16 + f picks: s2 gets exactly f of them per window.
            int window = 16 + f;
            var counts = Counts(b, window * 4);
            shares.Add(counts.GetValueOrDefault("s2"));
            Assert.InRange(counts.GetValueOrDefault("s2"), 4 * f - 1, 4 * f + 1);
        }
        Assert.Equal(shares.OrderBy(x => x), shares);
    }

    [Fact]
    public void LeastConn_RampingServer_CountsItsLoadAgainstTheRampedWeight()
    {
        var servers = Servers.Make(1, 1);
        servers[1].SetRamp(1, 0); // just up: effective weight 1 against 16
        IBalancer b = new LeastConnBalancer(Servers.Groups(servers));
        servers[0].TryTakeSlot();
        servers[0].TryTakeSlot();
        servers[1].TryTakeSlot();
        // s1: (2+1) x 4096 / 16 = 768, s2: (1+1) x 4096 / 1 = 8192: the busier s1 still wins.
        Assert.Equal("s1", b.Pick()!.Name);
        servers[1].SetRamp(SlowStart.FullFactor, 0);
        b = new LeastConnBalancer(Servers.Groups(servers), (LeastConnBalancer)b);
        Assert.Equal("s2", b.Pick()!.Name);
    }

    [Fact]
    public void StaticRr_RampFactorIgnored_MapUsesTheUserWeight()
    {
        var servers = Servers.Make(1, 1);
        servers[1].SetRamp(1, 0);
        IBalancer b = new StaticRoundRobinBalancer(Servers.Groups(servers));
        Assert.Equal("s1 s2 s1 s2", Servers.Sequence(b, 4));
    }

    [Fact]
    public void ConsistentRing_RampingServer_OwnsFewerPoints()
    {
        var servers = Servers.Make(2, 2);
        servers[1].SetRamp(4, 0);
        var ring = HashRing.Build(Servers.Groups(servers));
        Assert.Equal(2 * 16 + 2 * 4, ring.Count);
    }

    [Theory]
    [InlineData(BalanceAlgorithm.RoundRobin, HashMethod.MapBased, true)]
    [InlineData(BalanceAlgorithm.LeastConn, HashMethod.MapBased, true)]
    [InlineData(BalanceAlgorithm.Random, HashMethod.MapBased, true)]
    [InlineData(BalanceAlgorithm.First, HashMethod.MapBased, true)]
    [InlineData(BalanceAlgorithm.StaticRr, HashMethod.Consistent, false)]
    [InlineData(BalanceAlgorithm.Uri, HashMethod.MapBased, false)]
    [InlineData(BalanceAlgorithm.Source, HashMethod.Consistent, true)]
    public void HasDynamicWeights_AsHaproxysDynamicAlgorithms(BalanceAlgorithm algorithm, HashMethod method, bool dynamic)
    {
        var config = new Proxy { Balance = new Balance { Algorithm = algorithm }, HashType = new HashType(method) };
        Assert.Equal(dynamic, BalancerFactory.HasDynamicWeights(config));
    }
}
