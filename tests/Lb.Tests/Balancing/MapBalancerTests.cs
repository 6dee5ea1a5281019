using System.Collections.Immutable;
using Lb.Actors.Balancing;
using Xunit;

namespace Lb.Tests.Balancing;

public sealed class MapBalancerTests
{
    [Fact]
    public void ServerMap_HaproxySlotOrder_FirstDeclaredWinsTies()
    {
        var map = ServerMap.Build(Servers.Groups(Servers.Make(3, 1)));
        Assert.Equal("s1 s1 s1 s2", string.Join(" ", map.Slots.Select(s => s.Name)));
        Assert.Equal(4, map.Total);
    }

    [Fact]
    public void ServerMap_WeightsReducedByGcdOfAllServers()
    {
        Assert.Equal(4, ServerMap.Build(Servers.Groups(Servers.Make(6, 2))).Total);
        Assert.Equal(6, ServerMap.Build(Servers.Groups(Servers.Make(4, 2, 6))).Total);
    }

    [Fact]
    public void StaticRr_CyclesTheMap()
    {
        IBalancer b = new StaticRoundRobinBalancer(Servers.Groups(Servers.Make(3, 1)));
        Assert.Equal("s1 s1 s1 s2 s1 s1 s1 s2", Servers.Sequence(b, 8));
    }

    [Fact]
    public void StaticRr_NewSnapshot_KeepsTheIndex()
    {
        var servers = Servers.Make(1, 1, 1);
        IBalancer b = new StaticRoundRobinBalancer(Servers.Groups(servers));
        Assert.Equal("s1 s2", Servers.Sequence(b, 2));
        IBalancer b2 = new StaticRoundRobinBalancer(Servers.Groups(servers), (StaticRoundRobinBalancer)b);
        Assert.Equal("s3 s1", Servers.Sequence(b2, 2));
    }

    [Fact]
    public void ServerMap_FirstBackupAlone_SizedByItsWeight()
    {
        var all = new[] { Servers.One("a", 1, 1), Servers.One("b1", 2, 2, backup: true), Servers.One("b2", 3, 3, backup: true) };
        var g = new ServerGroups(all.ToImmutableArray(), [], all.Skip(1).ToImmutableArray(), allBackups: false);
        // HAProxy's quirk: the map over every backup, with tot_weight = the first backup's weight.
        Assert.Equal("b1 b2", string.Join(" ", ServerMap.Build(g).Slots.Select(s => s.Name)));
    }
}
