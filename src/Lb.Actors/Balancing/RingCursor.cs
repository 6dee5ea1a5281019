using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>Where the consistent-hashing round robin (the missing-key fallback) stands, shared by a
/// backend's successive rings.</summary>
internal sealed class RingCursor
{
    private readonly object _lock = new();
    private uint? _last;

    public ServerRuntime? Next(HashRing ring, ServerRuntime? avoid)
    {
        lock (_lock)
        {
            var (server, key) = ring.NextAfter(_last, avoid);
            if (server != null) _last = key;
            return server;
        }
    }
}
