using Lb.Actors.Backends;
using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>
/// What every hash algorithm shares: the key's hash (hash-type function, then 'avalanche' if set)
/// looks up the <see cref="ServerMap"/> ('map-based', hash % total weight) or the
/// <see cref="HashRing"/> ('consistent'); a missing key falls back to round robin over the same
/// map or ring, as in HAProxy. Subclasses only extract the key.
/// </summary>
public abstract class HashBalancer : IBalancer
{
    private readonly ServerMap? _map;
    private readonly HashRing? _ring;
    private readonly MapCursor _mapCursor;
    private readonly RingCursor _ringCursor;
    private readonly HashFunction _function;
    private readonly bool _avalanche;
    private readonly int _inUse;

    protected HashBalancer(ServerGroups groups, HashType hashType, HashBalancer? previous)
    {
        if (hashType.Method == HashMethod.Consistent) _ring = HashRing.Build(groups);
        else _map = ServerMap.Build(groups);
        _function = hashType.Function;
        _avalanche = hashType.Avalanche;
        _inUse = groups.InUse;
        bool same = previous?.GetType() == GetType();
        _mapCursor = same ? previous!._mapCursor : new MapCursor();
        _ringCursor = same ? previous!._ringCursor : new RingCursor();
    }

    /// <summary>
    /// HAProxy does not even look for the key of 'source', 'uri' and 'hdr()' when one server is in
    /// use (so those never fall back to round robin then); 'url_param' and 'rdp-cookie' still do.
    /// </summary>
    protected virtual bool SkipsKeyWithOneServer => true;

    public ServerRuntime? Pick(in BalanceContext context)
    {
        if (_map is { Total: 0 } || _ring is { IsEmpty: true }) return null;
        if (_inUse == 1 && SkipsKeyWithOneServer) return Lookup(0, context.Avoid);
        if (TryGetHash(context, out uint hash))
        {
            if (_avalanche) hash = HashFunctions.Avalanche(hash);
            return Lookup(hash, context.Avoid);
        }
        return _map != null ? _mapCursor.Next(_map, context.Avoid) : _ringCursor.Next(_ring!, context.Avoid);
    }

    /// <summary>The key's hash; false when the request has no key (round robin then).</summary>
    protected abstract bool TryGetHash(in BalanceContext context, out uint hash);

    protected uint Hash(ReadOnlySpan<byte> key) => HashFunctions.Hash(_function, key);

    // Map lookups ignore 'avoid' (a redispatch of a hashed request may land on the same server), as in HAProxy.
    private ServerRuntime? Lookup(uint hash, ServerRuntime? avoid) => _map != null ? _map.ByHash(hash) : _ring!.ByHash(hash, avoid);
}
