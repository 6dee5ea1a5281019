namespace Lb.Actors.Persistence;

/// <summary>
/// One stick-table entry: its key, the server it designates (0: none), when it expires and the
/// counters its table stores. Sessions read and touch entries without locks; the table moves
/// them in its expiry queue under its own lock.
/// </summary>
public sealed class StickEntry
{
    private readonly byte[] _key;
    private readonly StickDataLayout _layout;
    private readonly long[] _data;
    private int _serverId;
    private long _expireMs;
    private volatile bool _removed;

    internal StickEntry(byte[] key, StickDataLayout layout, long expireMs)
    {
        _key = key;
        _layout = layout;
        _data = layout.SlotCount == 0 ? [] : new long[layout.SlotCount];
        _expireMs = expireMs;
    }

    /// <summary>The key bytes as the table stores them (see <see cref="StickKeys"/>).</summary>
    public ReadOnlySpan<byte> Key => _key;

    internal byte[] KeyArray => _key;

    /// <summary>The 'server_id' of the server this key sticks to; 0 when none was stored.</summary>
    public int ServerId
    {
        get => Volatile.Read(ref _serverId);
        internal set
        {
            Volatile.Write(ref _serverId, value);
            ServerKeyStored = true;
        }
    }

    /// <summary>
    /// A stick rule stored the server (haproxy then also keeps its name, 'server_key'); a server id
    /// set with 'set table' alone leaves server_key unset ("-").
    /// </summary>
    public bool ServerKeyStored { get; private set; }

    /// <summary>When the entry expires (Environment.TickCount64 milliseconds); moved on every touch.</summary>
    public long ExpireMs
    {
        get => Volatile.Read(ref _expireMs);
        internal set => Volatile.Write(ref _expireMs, value);
    }

    /// <summary>False once the table dropped the entry (expired, evicted, cleared).</summary>
    public bool IsLive => !_removed;

    internal void MarkRemoved() => _removed = true;

    // The entry's place in its table's expiry queue, changed by the table under its lock only.
    internal long QueueKey;
    internal long QueueSeq;

    public bool Has(StickDataType type) => _layout.Has(type);

    /// <summary>A counter's value, or a rate's events per period now; 0 when the table does not store it.</summary>
    public long Get(StickDataType type, long nowMs)
    {
        if (type == StickDataType.ServerId) return ServerId;
        int slot = _layout.SlotOf(type);
        if (slot < 0) return 0;
        if (!StickDataTypes.IsRate(type)) return Volatile.Read(ref _data[slot]);
        lock (_data) return FreqCounter.Read(_data, slot, _layout.PeriodMs(type), nowMs);
    }

    /// <summary>Adds to a counter (conn_cur may go down), or counts events in a rate.</summary>
    public void Add(StickDataType type, long delta, long nowMs)
    {
        int slot = _layout.SlotOf(type);
        if (slot < 0) return;
        if (!StickDataTypes.IsRate(type)) { Interlocked.Add(ref _data[slot], delta); return; }
        lock (_data) FreqCounter.Add(_data, slot, _layout.PeriodMs(type), delta, nowMs);
    }

    /// <summary>Sets a counter (gpt0, clearing gpc0, ...); rates cannot be set.</summary>
    public void Set(StickDataType type, long value)
    {
        int slot = _layout.SlotOf(type);
        if (slot < 0 || StickDataTypes.IsRate(type)) return;
        Volatile.Write(ref _data[slot], value);
    }

    /// <summary>'set table': a counter takes the value, a rate restarts with that many events now.</summary>
    public void Assign(StickDataType type, long value, long nowMs)
    {
        if (type == StickDataType.ServerId) { Volatile.Write(ref _serverId, (int)value); return; } // server_key untouched
        if (!StickDataTypes.IsRate(type)) { Set(type, value); return; }
        int slot = _layout.SlotOf(type);
        if (slot < 0) return;
        lock (_data) FreqCounter.Set(_data, slot, value, nowMs);
    }
}
