using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// 'balance random[(N)]': N random points on the consistent-hashing ring (weights count), keeping
/// the server with the fewest connections relative to its weight ("power of N choices").
/// </summary>
public sealed class RandomBalancer : IBalancer
{
    public const string Name = "random";

    private readonly HashRing _ring;
    private readonly ServerGroups _groups;
    private readonly int _draws;

    public RandomBalancer(ServerGroups groups, int draws)
    {
        _ring = HashRing.Build(groups);
        _groups = groups;
        _draws = Math.Max(1, draws);
    }

    public ServerRuntime? Pick(in BalanceContext context)
    {
        ServerRuntime? best = null;
        for (int d = 0; d < _draws; d++)
        {
            var s = _ring.ByHash((uint)Random.Shared.NextInt64(0, 1L << 32), context.Avoid);
            if (s is null) return null;
            if (best != null && best != s && s.CurrentConns * _groups.ScaledWeightOf(best) > best.CurrentConns * _groups.ScaledWeightOf(s)) continue;
            best = s;
        }
        // A full server: none, so that the request waits in the backend's queue (as haproxy does).
        return best is { HasRoom: false } ? null : best;
    }
}
