using System.Collections.Immutable;
using Lb.Actors.Backends;
using Lb.Actors.Balancing;
using Xunit;

namespace Lb.Tests.Balancing;

public sealed class RoundRobinBalancerTests
{
    private static ServerGroups Without(ServerRuntime[] all, params ServerRuntime[] down) =>
        new(all.ToImmutableArray(), all.Where(s => !s.Config.Backup && !down.Contains(s)).ToImmutableArray(),
            all.Where(s => s.Config.Backup && !down.Contains(s)).ToImmutableArray(), allBackups: false);

    [Fact]
    public void Pick_EqualWeights_DeclarationOrderCycle()
    {
        IBalancer b = new RoundRobinBalancer(Servers.Groups(Servers.Make(1, 1, 1)));
        Assert.Equal("s1 s2 s3 s1 s2 s3 s1 s2 s3", Servers.Sequence(b, 9));
    }

    [Fact]
    public void Pick_Weights_EachCycleFollowsTheWeights()
    {
        IBalancer b = new RoundRobinBalancer(Servers.Groups(Servers.Make(3, 1, 2)));
        for (int cycle = 0; cycle < 5; cycle++)
        {
            var counts = Servers.Sequence(b, 6).Split(' ').GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(new Dictionary<string, int> { ["s1"] = 3, ["s2"] = 1, ["s3"] = 2 }, counts);
        }
    }

    [Fact]
    public void Pick_HeavyServer_IsInterleavedNotBunched()
    {
        IBalancer b = new RoundRobinBalancer(Servers.Groups(Servers.Make(2, 1, 1)));
        var seq = Servers.Sequence(b, 40).Split(' ');
        for (int i = 0; i + 2 < seq.Length; i++) Assert.False(seq[i] == "s1" && seq[i + 1] == "s1" && seq[i + 2] == "s1");
    }

    [Fact]
    public void NewSnapshot_WeightChange_KeepsThePositionAndAppliesTheWeight()
    {
        var servers = Servers.Make(1, 1, 1);
        IBalancer b = new RoundRobinBalancer(Servers.Groups(servers));
        Assert.Equal("s1", b.Pick()!.Name);
        servers[2].Weight = 3;
        IBalancer b2 = new RoundRobinBalancer(Servers.Groups(servers), (RoundRobinBalancer)b);
        Assert.NotEqual("s1", b2.Pick()!.Name); // no restart from the top
        var counts = Servers.Sequence(b2, 50).Split(' ').GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts["s3"], 28, 32);
        Assert.InRange(counts["s1"], 8, 12);
    }

    [Fact]
    public void NewSnapshot_ServerDownThenUp_SkippedThenBack()
    {
        var servers = Servers.Make(1, 1, 1);
        IBalancer b = new RoundRobinBalancer(Servers.Groups(servers));
        b = new RoundRobinBalancer(Without(servers, servers[1]), (RoundRobinBalancer)b);
        Assert.DoesNotContain("s2", Servers.Sequence(b, 10));
        b = new RoundRobinBalancer(Without(servers), (RoundRobinBalancer)b);
        Assert.Equal(4, Servers.Sequence(b, 12).Split(' ').Count(x => x == "s2"));
    }

    [Fact]
    public void Pick_Avoid_NeverTheAvoidedServerWhileOthersExist()
    {
        var servers = Servers.Make(1, 1);
        IBalancer b = new RoundRobinBalancer(Servers.Groups(servers));
        for (int i = 0; i < 6; i++) Assert.Equal("s2", b.Pick(servers[0])!.Name);
        IBalancer single = new RoundRobinBalancer(Servers.Groups(Servers.Make(1)));
        Assert.Equal("s1", single.Pick(single.Pick())!.Name);
    }

    [Fact]
    public void Pick_SaturatedServer_Skipped()
    {
        var s1 = Servers.One("s1", id: 1, maxConn: 1);
        var s2 = Servers.One("s2", id: 2);
        Assert.True(s1.TryTakeSlot());
        IBalancer b = new RoundRobinBalancer(Servers.Groups([s1, s2]));
        Assert.Equal("s2 s2 s2", Servers.Sequence(b, 3));
        s1.ReleaseSlot();
        Assert.Contains("s1", Servers.Sequence(b, 3));
    }

    [Fact]
    public void Pick_NoActive_FirstBackupOnlyUnlessAllBackups()
    {
        var all = new[] { Servers.One("a", id: 1), Servers.One("b1", id: 2, backup: true), Servers.One("b2", id: 3, backup: true) };
        var down = new ServerGroups(all.ToImmutableArray(), [], all.Skip(1).ToImmutableArray(), allBackups: false);
        Assert.Equal("b1 b1 b1 b1", Servers.Sequence(new RoundRobinBalancer(down), 4));
        var allBackups = new ServerGroups(all.ToImmutableArray(), [], all.Skip(1).ToImmutableArray(), allBackups: true);
        Assert.Equal("b1 b2 b1 b2", Servers.Sequence(new RoundRobinBalancer(allBackups), 4));
        var up = Servers.Groups(all);
        Assert.Equal("a a a", Servers.Sequence(new RoundRobinBalancer(up), 3));
    }

    [Fact]
    public void Pick_WeightZero_NeverPicked_NothingUsable_Null()
    {
        Assert.Equal("s1 s3 s1 s3", Servers.Sequence(new RoundRobinBalancer(Servers.Groups(Servers.Make(1, 0, 1))), 4));
        Assert.Null(((IBalancer)new RoundRobinBalancer(Servers.Groups(Servers.Make(0, 0)))).Pick());
    }
}
