using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// HAProxy's weighted least connections (lb_fwlc.c): per group a tree of usable servers keyed by
/// (in-flight + 1) x 4096 / effective weight, 0 when idle, in-flight = requests served + waiting in
/// its queue. A server is re-queued (behind its equals) whenever it takes or gives back a slot,
/// as in haproxy 2.6 (not when its queue alone changes), which turns ties into round robin.
/// One instance per backend, shared by its snapshots; one lock per backend, held for O(log n).
/// </summary>
internal sealed class LeastConnState
{
    private const int WeightScale = 16;
    private const uint MaxEffectiveWeight = 256 * WeightScale;

    private readonly object _lock = new();
    private readonly ServerRuntime[] _servers;
    private readonly Dictionary<ServerRuntime, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly IdHeap _act, _bck;
    private readonly int[] _eweight, _skipped;
    private readonly bool[] _backup;
    private int _firstBackup = -1;

    public LeastConnState(IReadOnlyList<ServerRuntime> servers)
    {
        int n = servers.Count;
        _servers = servers.ToArray();
        for (int i = 0; i < n; i++) _index[_servers[i]] = i;
        _act = new IdHeap(n);
        _bck = new IdHeap(n);
        _eweight = new int[n];
        _skipped = new int[n];
        _backup = _servers.Select(s => s.Config.Backup).ToArray();
        foreach (var s in _servers) s.OnLoadChanged(Reposition);
    }

    public bool Covers(ServerGroups g) => g.All.Length == _servers.Length && g.All.Select((s, i) => ReferenceEquals(s, _servers[i])).All(x => x);

    public void Apply(ServerGroups groups)
    {
        lock (_lock)
        {
            _firstBackup = groups.FirstBackup is { } fb ? _index[fb] : -1;
            var next = new int[_servers.Length];
            foreach (var s in groups.Active) next[_index[s]] = groups.ScaledWeightOf(s);
            foreach (var s in groups.Backups) next[_index[s]] = groups.ScaledWeightOf(s);
            for (int i = 0; i < _servers.Length; i++)
            {
                if (_eweight[i] == next[i]) continue;
                var heap = HeapOf(i);
                heap.Remove(i);
                _eweight[i] = next[i];
                if (next[i] > 0) Queue(heap, i);
            }
        }
    }

    public ServerRuntime? Next(ServerRuntime? avoid)
    {
        lock (_lock)
        {
            IdHeap heap;
            if (_act.Count > 0) heap = _act;
            else if (_firstBackup >= 0) return _servers[_firstBackup];
            else if (_bck.Count > 0) heap = _bck;
            else return null;

            // Walk the tree in order by taking servers out; they go back in their old places.
            int found = -1, avoided = -1, skipped = 0;
            while (heap.Count > 0)
            {
                int s = heap.First;
                var server = _servers[s];
                // With 'maxqueue', a full server still takes requests into its own queue up to
                // that many (haproxy: served + queued < maxconn + maxqueue).
                if (!server.Limited || server.CurrentConns + server.Queued < server.SlotLimit + server.Config.MaxQueue)
                {
                    if (server != avoid) { found = s; break; }
                    if (avoided < 0) avoided = s;
                }
                heap.Remove(s);
                _skipped[skipped++] = s;
            }
            for (int k = 0; k < skipped; k++) heap.Restore(_skipped[k]);
            if (found < 0) found = avoided;
            // All saturated: null, the request waits in the backend's queue.
            return found >= 0 ? _servers[found] : null;
        }
    }

    private IdHeap HeapOf(int i) => _backup[i] ? _bck : _act;

    private void Queue(IdHeap heap, int i)
    {
        var s = _servers[i];
        long inflight = s.CurrentConns + s.Queued;
        uint key = inflight <= 0 ? 0 : (uint)Math.Min(uint.MaxValue, (inflight + 1) * MaxEffectiveWeight / (uint)_eweight[i]);
        heap.Insert(i, key);
    }

    private void Reposition(ServerRuntime server)
    {
        if (!_index.TryGetValue(server, out int i)) return;
        lock (_lock)
        {
            var heap = HeapOf(i);
            if (!heap.Contains(i)) return;
            heap.Remove(i);
            Queue(heap, i);
        }
    }
}
