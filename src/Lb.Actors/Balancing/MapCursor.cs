using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// The round-robin index over a <see cref="ServerMap"/> (HAProxy's rr_idx), shared by a backend's
/// successive maps so that a server going up or down does not restart the rotation.
/// </summary>
internal sealed class MapCursor
{
    private readonly object _lock = new();
    private int _index;

    /// <summary>The next slot's server with room, skipping <paramref name="avoid"/> unless it is the only one.</summary>
    public ServerRuntime? Next(ServerMap map, ServerRuntime? avoid)
    {
        int total = map.Total;
        if (total == 0) return null;
        var slots = map.Slots;
        lock (_lock)
        {
            if (_index < 0 || _index >= total) _index = 0;
            int start = _index, idx = start, avoidedIdx = 0;
            ServerRuntime? avoided = null;
            do
            {
                var s = slots[idx++];
                if (s.HasRoom)
                {
                    avoided = s;
                    avoidedIdx = idx;
                    if (s != avoid)
                    {
                        _index = idx;
                        return s;
                    }
                }
                if (idx == total) idx = 0;
            } while (idx != start);
            if (avoided != null)
            {
                _index = avoidedIdx;
                return avoided;
            }
            // Every server is saturated: null, the request waits in the backend's queue.
            return null;
        }
    }
}
