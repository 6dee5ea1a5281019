namespace Lb.Actors.Balancing;

/// <summary>
/// A min-heap of small integer ids (server indexes) ordered by (key, insertion order): among equal
/// keys the one queued first comes first, as with HAProxy's ebtrees, whose duplicates keep their
/// insertion order. Every operation is O(log n) and allocation-free; not thread-safe.
/// </summary>
internal sealed class IdHeap
{
    private readonly int[] _heap;
    private readonly int[] _pos;
    private readonly uint[] _key;
    private readonly long[] _seq;
    private int _count;
    private long _nextSeq;

    public IdHeap(int capacity)
    {
        _heap = new int[capacity];
        _pos = new int[capacity];
        Array.Fill(_pos, -1);
        _key = new uint[capacity];
        _seq = new long[capacity];
    }

    public int Count => _count;

    /// <summary>The first id, or -1 when empty.</summary>
    public int First => _count == 0 ? -1 : _heap[0];

    public bool Contains(int id) => _pos[id] >= 0;

    public uint KeyOf(int id) => _key[id];

    public void Insert(int id, uint key)
    {
        _key[id] = key;
        _seq[id] = _nextSeq++;
        Add(id);
    }

    /// <summary>Puts back an id taken out with <see cref="Remove"/> in its old place among equals.</summary>
    public void Restore(int id) => Add(id);

    public void Remove(int id)
    {
        int i = _pos[id];
        if (i < 0) return;
        _pos[id] = -1;
        int last = _heap[--_count];
        if (i == _count) return;
        _heap[i] = last;
        _pos[last] = i;
        if (!Up(i)) Down(i);
    }

    private void Add(int id)
    {
        if (_pos[id] >= 0) Remove(id);
        int i = _count++;
        _heap[i] = id;
        _pos[id] = i;
        Up(i);
    }

    private bool Less(int a, int b) => _key[a] < _key[b] || (_key[a] == _key[b] && _seq[a] < _seq[b]);

    private bool Up(int i)
    {
        bool moved = false;
        int id = _heap[i];
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            int p = _heap[parent];
            if (!Less(id, p)) break;
            _heap[i] = p;
            _pos[p] = i;
            i = parent;
            moved = true;
        }
        _heap[i] = id;
        _pos[id] = i;
        return moved;
    }

    private void Down(int i)
    {
        int id = _heap[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Less(_heap[child + 1], _heap[child])) child++;
            int c = _heap[child];
            if (!Less(c, id)) break;
            _heap[i] = c;
            _pos[c] = i;
            i = child;
        }
        _heap[i] = id;
        _pos[id] = i;
    }
}
