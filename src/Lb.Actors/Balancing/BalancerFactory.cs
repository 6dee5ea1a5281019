using System.Collections.Immutable;
using Lb.Actors.Backends;
using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>
/// The seam for the balancing algorithms: one small class per algorithm. Until the balancing
/// issue lands, every algorithm is served by round robin.
/// </summary>
public static class BalancerFactory
{
    public static IBalancer Create(Balance balance, ImmutableArray<ServerRuntime> servers) => balance.Algorithm switch
    {
        _ => new RoundRobinBalancer(servers),
    };
}
