using Lb.Actors.Balancing;
using Xunit;

namespace Lb.Tests.Balancing;

public sealed class OtherBalancerTests
{
    [Fact]
    public void First_LowestIdWithFreeSlot()
    {
        var s1 = Servers.One("s1", id: 2, maxConn: 1);
        var s2 = Servers.One("s2", id: 1, maxConn: 1);
        var s3 = Servers.One("s3", id: 3);
        IBalancer b = new FirstBalancer(Servers.Groups([s1, s2, s3]));
        Assert.Equal("s2", b.Pick()!.Name);
        s2.TryTakeSlot();
        Assert.Equal("s1", b.Pick()!.Name);
        s1.TryTakeSlot();
        Assert.Equal("s3", b.Pick()!.Name);
    }

    [Fact]
    public void Random_TwoDraws_PrefersTheLessLoadedAndFollowsWeights()
    {
        var servers = Servers.Make(1, 1);
        IBalancer b = new RandomBalancer(Servers.Groups(servers), draws: 2);
        for (int i = 0; i < 10; i++) servers[0].TryTakeSlot();
        int s1 = Enumerable.Range(0, 400).Count(_ => b.Pick()!.Name == "s1");
        Assert.InRange(s1, 40, 160); // picked only when both draws land on it (~1/4)

        var weighted = Servers.Make(1, 3);
        IBalancer one = new RandomBalancer(Servers.Groups(weighted), draws: 1);
        int heavy = Enumerable.Range(0, 2000).Count(_ => one.Pick()!.Name == "s2");
        Assert.InRange(heavy, 1300, 1700);
    }

    [Fact]
    public void HashRing_RemovingAServer_OnlyMovesItsKeys()
    {
        var servers = Servers.Make(1, 1, 1, 1);
        var full = HashRing.Build(Servers.Groups(servers));
        var less = HashRing.Build(Servers.Groups(servers.Take(3)));
        int moved = 0;
        for (uint h = 0; h < 4000; h++)
        {
            uint key = HashFunctions.Avalanche(h);
            var before = full.ByHash(key, null)!;
            var after = less.ByHash(key, null)!;
            if (before.Name != "s4") Assert.Same(before, after);
            else moved++;
        }
        Assert.InRange(moved, 500, 1500);
    }

    [Fact]
    public void HashBalancer_MissingKey_FallsBackToRoundRobin()
    {
        IBalancer b = new UrlParamHashBalancer(Servers.Groups(Servers.Make(1, 1, 1)), new Lb.Config.Model.Balance { ParamName = "id" }, Lb.Config.Model.HashType.Default);
        Assert.Equal("s1 s2 s3 s1", Servers.Sequence(b, 4));
    }
}
