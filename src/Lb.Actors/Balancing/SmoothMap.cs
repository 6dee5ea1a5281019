using System.Collections.Immutable;
using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// The smooth weighted map HAProxy's map-based algorithms use: weights are reduced by their gcd,
/// then slots are filled by repeatedly taking the server with the highest running weight
/// (interleaving heavy servers instead of bunching them).
/// </summary>
public static class SmoothMap
{
    public static ServerRuntime[] Build(ImmutableArray<ServerRuntime> servers)
    {
        var weighted = servers.Where(s => s.Config.Weight > 0).ToArray();
        if (weighted.Length == 0) return Array.Empty<ServerRuntime>();
        int gcd = weighted.Select(s => s.Config.Weight).Aggregate(Gcd);
        var weights = weighted.Select(s => s.Config.Weight / gcd).ToArray();
        int total = weights.Sum();
        var current = new int[weighted.Length];
        var map = new ServerRuntime[total];
        for (int slot = 0; slot < total; slot++)
        {
            int best = 0;
            for (int i = 0; i < weighted.Length; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best]) best = i;
            }
            current[best] -= total;
            map[slot] = weighted[best];
        }
        return map;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
