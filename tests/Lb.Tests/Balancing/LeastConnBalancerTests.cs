using Lb.Actors.Balancing;
using Xunit;

namespace Lb.Tests.Balancing;

public sealed class LeastConnBalancerTests
{
    [Fact]
    public void Pick_AllIdle_RoundRobinAsConnectionsComeAndGo()
    {
        var servers = Servers.Make(1, 1, 1);
        IBalancer b = new LeastConnBalancer(Servers.Groups(servers));
        var picked = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            var s = b.Pick()!;
            picked.Add(s.Name);
            s.TryTakeSlot();
            s.ReleaseSlot();
        }
        Assert.Equal("s1 s2 s3 s1 s2 s3", string.Join(" ", picked));
    }

    [Fact]
    public void Pick_BusyServer_AvoidedUntilOthersAreAsBusy()
    {
        var servers = Servers.Make(1, 1);
        IBalancer b = new LeastConnBalancer(Servers.Groups(servers));
        servers[0].TryTakeSlot();
        Assert.Equal("s2", b.Pick()!.Name);
        servers[1].TryTakeSlot();
        servers[1].TryTakeSlot();
        Assert.Equal("s1", b.Pick()!.Name);
    }

    [Fact]
    public void Pick_Weights_LoadRelativeToWeight()
    {
        var servers = Servers.Make(1, 3);
        IBalancer b = new LeastConnBalancer(Servers.Groups(servers));
        servers[0].TryTakeSlot();
        servers[1].TryTakeSlot();
        servers[1].TryTakeSlot();
        // s1: (1+1)/1 = 2 units, s2: (2+1)/3 = 1 unit
        Assert.Equal("s2", b.Pick()!.Name);
    }

    [Fact]
    public void Pick_Avoid_TakesTheNextLeastLoaded()
    {
        var servers = Servers.Make(1, 1, 1);
        IBalancer b = new LeastConnBalancer(Servers.Groups(servers));
        Assert.Equal("s2", b.Pick(servers[0])!.Name);
    }
}
