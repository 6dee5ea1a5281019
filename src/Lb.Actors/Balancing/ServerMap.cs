using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// HAProxy's server map for 'static-rr' and map-based hashing (lb_map.c): weights divided by the
/// gcd of all configured weights, then each of the total-weight slots goes to the server whose
/// running score, (score + total) / total, is strictly the highest — the first declared wins ties,
/// which interleaves heavy servers and keeps declaration order for equal weights.
/// </summary>
public sealed class ServerMap
{
    private ServerMap(ServerRuntime[] slots, int total)
    {
        Slots = slots;
        Total = total;
    }

    public ServerRuntime[] Slots { get; }

    /// <summary>HAProxy's tot_weight: the number of slots in use (0 when no server is usable).</summary>
    public int Total { get; }

    public ServerRuntime? ByHash(uint hash) => Total == 0 ? null : Slots[hash % (uint)Total];

    public static ServerMap Build(ServerGroups groups)
    {
        int gcd = 0;
        foreach (var s in groups.All) gcd = Gcd(gcd, s.Config.Weight);
        if (gcd == 0) gcd = 1;
        var group = groups.Group;
        var weights = group.Select(s => (groups.WeightOf(s) + gcd - 1) / gcd).ToArray();
        // Only the first backup serves: the map still interleaves every usable backup, but over
        // the first one's weight only (HAProxy sizes it with tot_weight).
        int total = groups.FirstBackup is { } fb ? weights[0] : weights.Sum();
        var slots = new ServerRuntime[total];
        var score = new int[group.Length];
        for (int o = 0; o < total; o++)
        {
            int best = -1, max = 0;
            for (int i = 0; i < group.Length; i++)
            {
                if (total == 1) { best = i; break; }
                score[i] += weights[i];
                int v = (score[i] + total) / total;
                if (best < 0 || v > max) { max = v; best = i; }
            }
            slots[o] = group[best];
            score[best] -= total;
        }
        return new ServerMap(slots, total);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
