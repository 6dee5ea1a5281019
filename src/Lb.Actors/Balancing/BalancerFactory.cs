using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>
/// Builds a backend's balancer for one snapshot of its usable servers. The previous snapshot's
/// balancer hands over its position (round robin index, fwrr and leastconn trees) so that a
/// server going up or down or a weight change does not restart the rotation.
/// </summary>
public static class BalancerFactory
{
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
