using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// HAProxy's fast weighted round robin (lb_fwrr.c), re-expressed: per group (active, backup) a
/// "current" tree of servers ordered by their next position in the rotation window, an "init"
/// tree of servers not yet placed (heaviest first) and a "next" tree for the following window;
/// the two latter swap when a window ends. Effective weights are user weights x 16, as in HAProxy,
/// so that the sequence, and the way a weight change or a server going up or down moves a server
/// in the rotation, are HAProxy's. One instance lives as long as its backend: each snapshot's
/// balancer applies the differences to it. Guarded by one lock per backend, held for a few
/// O(log n) heap operations.
/// </summary>
internal sealed class FwrrState
{
    private const int WeightScale = 16;       // HAProxy's BE_WEIGHT_SCALE
    private const int UserWeightRange = 256;  // SRV_UWGHT_RANGE
    private const int MaxEffectiveWeight = UserWeightRange * WeightScale;

    private enum Tree : byte { None, Curr, T0, T1 }

    private sealed class Group
    {
        public Group(int n) { Curr = new IdHeap(n); T0 = new IdHeap(n); T1 = new IdHeap(n); }
        public readonly IdHeap Curr, T0, T1;
        public Tree Init = Tree.T0, Next = Tree.T1;
        public int CurrPos, CurrWeight, NextWeight, Count;
    }

    private readonly object _lock = new();
    private readonly ServerRuntime[] _servers;
    private readonly Dictionary<ServerRuntime, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly Group _act, _bck;
    private readonly int[] _eweight, _npos, _lpos, _rweight, _full;
    private readonly Tree[] _tree;
    private readonly bool[] _backup;
    private int _firstBackup = -1;
    private bool _initialized;

    public FwrrState(IReadOnlyList<ServerRuntime> servers)
    {
        int n = servers.Count;
        _servers = servers.ToArray();
        for (int i = 0; i < n; i++) _index[_servers[i]] = i;
        _act = new Group(n);
        _bck = new Group(n);
        _eweight = new int[n]; _npos = new int[n]; _lpos = new int[n]; _rweight = new int[n]; _full = new int[n];
        _tree = new Tree[n];
        _backup = _servers.Select(s => s.Config.Backup).ToArray();
    }

    /// <summary>True when this state was built over exactly these servers.</summary>
    public bool Covers(ServerGroups g) => g.All.Length == _servers.Length && g.All.Select((s, i) => ReferenceEquals(s, _servers[i])).All(x => x);

    /// <summary>Brings the trees in line with a new set of usable servers and weights.</summary>
    public void Apply(ServerGroups groups)
    {
        lock (_lock)
        {
            var next = new int[_servers.Length];
            foreach (var s in groups.Active) next[_index[s]] = groups.ScaledWeightOf(s);
            foreach (var s in groups.Backups) next[_index[s]] = groups.ScaledWeightOf(s);
            _firstBackup = groups.FirstBackup is { } fb ? _index[fb] : -1;
            if (!_initialized) { Init(next); return; }
            for (int i = 0; i < _servers.Length; i++)
            {
                int old = _eweight[i], neu = next[i];
                if (old == neu) continue;
                if (old == 0) SetUp(i, neu);
                else if (neu == 0) SetDown(i);
                else UpdateWeight(i, neu);
            }
        }
    }

    private void Init(int[] weights)
    {
        _initialized = true;
        for (int i = 0; i < _servers.Length; i++)
        {
            _eweight[i] = weights[i];
            if (weights[i] == 0) continue;
            var g = GroupOf(i);
            g.NextWeight += weights[i];
            g.Count++;
        }
        foreach (var g in new[] { _act, _bck }) g.CurrPos = g.CurrWeight = g.NextWeight;
        for (int i = 0; i < _servers.Length; i++)
            if (_eweight[i] > 0) QueueByWeight(GroupOf(i), GroupOf(i).Init, i);
    }

    public ServerRuntime? Next(ServerRuntime? avoid)
    {
        lock (_lock)
        {
            Group g;
            if (_act.Count > 0) g = _act;
            else if (_firstBackup >= 0) return _servers[_firstBackup];
            else if (_bck.Count > 0) g = _bck;
            else return null;

            int avoidIdx = avoid != null && _index.TryGetValue(avoid, out var a) ? a : -1;
            bool switched = false;
            int avoided = -1, full = 0, srv;
            while (true)
            {
                if (g.CurrWeight == 0) g.CurrPos = g.CurrWeight = g.NextWeight;
                while (true)
                {
                    srv = FromGroup(g);
                    if (srv >= 0) break;
                    if (switched) break;
                    switched = true;
                    (g.Init, g.Next) = (g.Next, g.Init);
                    g.CurrWeight = g.NextWeight;
                    g.CurrPos = g.CurrWeight;
                }
                if (srv < 0) { srv = avoided; break; }
                UpdatePosition(g, srv);
                Dequeue(g, srv);
                g.CurrPos++;
                if (_servers[srv].HasRoom)
                {
                    if (srv != avoidIdx || avoided >= 0) break;
                    avoided = srv;
                }
                _full[full++] = srv;
            }
            if (srv >= 0) QueueServer(g, srv);
            // Requeue the servers skipped as saturated or avoided, newest first, as HAProxy does.
            for (int k = full - 1; k >= 0; k--)
            {
                int f = _full[k];
                if (f == srv) continue;
                if (switched) QueueByWeight(g, g.Init, f);
                else QueueServer(g, f);
            }
            // All saturated: null, the request waits in the backend's queue.
            return srv >= 0 ? _servers[srv] : null;
        }
    }

    private Group GroupOf(int i) => _backup[i] ? _bck : _act;

    private IdHeap HeapOf(Group g, Tree t) => t switch { Tree.Curr => g.Curr, Tree.T0 => g.T0, _ => g.T1 };

    private int FromGroup(Group g)
    {
        int s1 = g.Curr.First;
        if (s1 >= 0 && _eweight[s1] > 0 && _npos[s1] <= g.CurrPos) return s1;
        int s2 = HeapOf(g, g.Init).First;
        if (s2 >= 0 && _eweight[s2] > 0)
        {
            _npos[s2] = _rweight[s2] = 0;
            return s2;
        }
        return s1;
    }

    private void UpdatePosition(Group g, int s)
    {
        int w = _eweight[s];
        if (w == 0) return;
        if (_npos[s] == 0) _npos[s] = g.CurrPos;
        _lpos[s] = _npos[s];
        _npos[s] += g.NextWeight / w;
        _rweight[s] += g.NextWeight % w;
        if (_rweight[s] >= w)
        {
            _rweight[s] -= w;
            _npos[s]++;
        }
    }

    private void Dequeue(Group g, int s)
    {
        if (_tree[s] != Tree.None) HeapOf(g, _tree[s]).Remove(s);
    }

    private void QueueByWeight(Group g, Tree t, int s)
    {
        HeapOf(g, t).Insert(s, (uint)(MaxEffectiveWeight - _eweight[s]));
        _tree[s] = t;
    }

    private void QueueServer(Group g, int s)
    {
        int w = _eweight[s];
        if (w == 0) { _tree[s] = Tree.None; return; }
        if (_npos[s] >= 2 * g.CurrWeight || _npos[s] >= g.CurrWeight + g.NextWeight)
        {
            // Beyond this window: wait in the next tree, position relative to the next window.
            _npos[s] -= g.CurrWeight;
            QueueByWeight(g, g.Next, s);
            return;
        }
        uint key = (uint)(UserWeightRange * _npos[s]) + (uint)(MaxEffectiveWeight + _rweight[s] - w) / WeightScale;
        g.Curr.Insert(s, key);
        _tree[s] = Tree.Curr;
    }

    /// <summary>Prepares a server taken out of its tree (HAProxy's fwrr_get_srv).</summary>
    private void Extract(Group g, int s)
    {
        if (_tree[s] == g.Init) _npos[s] = _rweight[s] = 0;
        else if (_tree[s] == g.Next) _npos[s] += g.CurrWeight;
        else if (_tree[s] == Tree.None) _npos[s] = g.CurrPos;
    }

    private void SetUp(int s, int w)
    {
        var g = GroupOf(s);
        g.NextWeight += w;
        g.Count++;
        Extract(g, s);
        _eweight[s] = w;
        _npos[s] = g.CurrPos + (g.NextWeight + g.CurrWeight - g.CurrPos) / w;
        QueueServer(g, s);
    }

    private void SetDown(int s)
    {
        var g = GroupOf(s);
        g.NextWeight -= _eweight[s];
        g.Count--;
        Dequeue(g, s);
        _tree[s] = Tree.None;
        _eweight[s] = 0;
    }

    private void UpdateWeight(int s, int w)
    {
        var g = GroupOf(s);
        g.NextWeight = g.NextWeight - _eweight[s] + w;
        _eweight[s] = w;
        if (_tree[s] == g.Init)
        {
            Dequeue(g, s);
            QueueByWeight(g, g.Init, s);
            return;
        }
        Extract(g, s);
        int prevNext = _npos[s];
        int step = g.NextWeight / w;
        _npos[s] = _lpos[s] + step;
        _rweight[s] = 0;
        if (_npos[s] > prevNext) _npos[s] = prevNext;
        if (_npos[s] < g.CurrPos + 2) _npos[s] = g.CurrPos + step;
        Dequeue(g, s);
        QueueServer(g, s);
    }
}
