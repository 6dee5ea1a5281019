using System.Collections.Immutable;
using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// Weighted round robin over a precomputed smooth map (each server appears weight/gcd times,
/// interleaved); with equal weights the servers come in declaration order, as in HAProxy.
/// Lock-free: one Interlocked increment per pick. Exact HAProxy fwrr/static-rr sequences for
/// unequal weights and runtime weight changes are the balancing issue's work.
/// </summary>
public sealed class RoundRobinBalancer : IBalancer
{
    public const string Name = "roundrobin";

    private readonly ServerRuntime[] _map;
    private long _next = -1;

    public RoundRobinBalancer(ImmutableArray<ServerRuntime> servers) => _map = SmoothMap.Build(servers);

    public ServerRuntime? Pick(ServerRuntime? avoid = null)
    {
        var map = _map;
        if (map.Length == 0) return null;
        for (int tries = 0; tries < map.Length; tries++)
        {
            var s = map[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)map.Length)];
            if (s != avoid || map.Length == 1) return s;
        }
        return map[0];
    }
}
