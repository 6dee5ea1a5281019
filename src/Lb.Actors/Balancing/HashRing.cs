using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// HAProxy's consistent-hashing ring (lb_chash.c, 'hash-type consistent'): each usable server of
/// the balanced group owns one point per unit of effective weight (user weight x 16, fewer while
/// slowstart ramps it) at avalanche(id x 4096 + n); a hash goes to the
/// nearer of the points around it (the lower one on a tie). Lookups are a binary search.
/// </summary>
public sealed class HashRing
{
    private const int WeightScale = 16;
    private const int EffectiveWeightRange = 256 * WeightScale;

    private readonly uint[] _keys;
    private readonly ServerRuntime[] _owners;
    private readonly ServerRuntime? _single;

    private HashRing(uint[] keys, ServerRuntime[] owners, ServerRuntime? single)
    {
        _keys = keys;
        _owners = owners;
        _single = single;
    }

    public int Count => _keys.Length;

    /// <summary>True when nothing can be picked.</summary>
    public bool IsEmpty => _single is null && _keys.Length == 0;

    public static HashRing Build(ServerGroups groups)
    {
        if (groups.FirstBackup is { } fb) return new HashRing([], [], fb);
        var group = groups.Group;
        var points = new List<(uint Key, int Order, ServerRuntime Server)>();
        foreach (var s in group)
        {
            int nodes = groups.ScaledWeightOf(s);
            for (int n = 0; n < nodes; n++)
                points.Add((HashFunctions.Avalanche((uint)(s.Id * EffectiveWeightRange + n)), points.Count, s));
        }
        points.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Order.CompareTo(b.Order));
        return new HashRing(points.Select(p => p.Key).ToArray(), points.Select(p => p.Server).ToArray(), null);
    }

    /// <summary>The server nearest to <paramref name="hash"/>, walking on past <paramref name="avoid"/>.</summary>
    public ServerRuntime? ByHash(uint hash, ServerRuntime? avoid)
    {
        if (_single != null) return _single;
        var keys = _keys;
        int n = keys.Length;
        if (n == 0) return null;
        int next = LowerBound(keys, hash);
        if (next == n) next = 0;
        int prev = next == 0 ? n - 1 : next - 1;
        uint dp = hash - keys[prev], dn = keys[next] - hash;
        int at = dp <= dn ? prev : next;
        var s = _owners[at];
        for (int walked = 0; s == avoid && walked < n; walked++)
        {
            at = at + 1 == n ? 0 : at + 1;
            s = _owners[at];
        }
        return s;
    }

    /// <summary>
    /// Round robin over the ring's points, from the point after <paramref name="last"/> (a key):
    /// HAProxy's fallback when the hash key is missing. Returns the point's key to continue from.
    /// </summary>
    public (ServerRuntime? Server, uint Key) NextAfter(uint? last, ServerRuntime? avoid)
    {
        if (_single != null) return (_single, 0);
        int n = _keys.Length;
        if (n == 0) return (null, 0);
        int at = last is { } k ? UpperBound(_keys, k) : 0;
        ServerRuntime? avoided = null;
        int avoidedAt = -1;
        for (int i = 0; i < n; i++, at++)
        {
            if (at >= n) at = 0;
            var s = _owners[at];
            if (!s.HasRoom) continue;
            if (s != avoid) return (s, _keys[at]);
            avoided = s;
            avoidedAt = at;
        }
        // Every server saturated: none (the request waits in the backend's queue).
        return avoided != null ? (avoided, _keys[avoidedAt]) : (null, 0);
    }

    private static int LowerBound(uint[] keys, uint value)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int UpperBound(uint[] keys, uint value)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
