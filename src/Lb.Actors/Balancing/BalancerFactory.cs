using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>
/// Builds a backend's balancer for one snapshot of its usable servers. The previous snapshot's
/// balancer hands over its position (round robin index, fwrr and leastconn trees) so that a
/// server going up or down or a weight change does not restart the rotation.
/// </summary>
public static class BalancerFactory
{
    /// <summary>
    /// HAProxy's BE_LB_PROP_DYN: algorithms whose server weights can change at run time, and so
    /// follow the slowstart ramp: roundrobin, leastconn, first, random and consistent hashing
    /// (not static-rr nor map-based hashing).
    /// </summary>
    public static bool HasDynamicWeights(Proxy config) => config.Balance.Algorithm switch
    {
        BalanceAlgorithm.StaticRr => false,
        BalanceAlgorithm.RoundRobin or BalanceAlgorithm.LeastConn or BalanceAlgorithm.First or BalanceAlgorithm.Random => true,
        _ => config.HashType.Method == HashMethod.Consistent,
    };

    public static IBalancer Create(Proxy config, ServerGroups groups, IBalancer? previous = null)
    {
        var b = config.Balance;
        var h = config.HashType;
        return b.Algorithm switch
        {
            BalanceAlgorithm.StaticRr => new StaticRoundRobinBalancer(groups, previous as StaticRoundRobinBalancer),
            BalanceAlgorithm.LeastConn => new LeastConnBalancer(groups, previous as LeastConnBalancer),
            BalanceAlgorithm.First => new FirstBalancer(groups),
            BalanceAlgorithm.Random => new RandomBalancer(groups, b.RandomDraws),
            BalanceAlgorithm.Source => new SourceHashBalancer(groups, h, previous as HashBalancer),
            BalanceAlgorithm.Uri => new UriHashBalancer(groups, b, h, previous as HashBalancer),
            BalanceAlgorithm.UrlParam => new UrlParamHashBalancer(groups, b, h, previous as HashBalancer),
            BalanceAlgorithm.Header => new HeaderHashBalancer(groups, b, h, previous as HashBalancer),
            BalanceAlgorithm.RdpCookie => new RdpCookieHashBalancer(groups, b, h, previous as HashBalancer),
            // 'balance hash <expr>' needs the sample-expression engine (ACL issue): round robin until then.
            _ => new RoundRobinBalancer(groups, previous as RoundRobinBalancer),
        };
    }
}
