using System.Collections.Concurrent;

namespace Lb.Actors.Persistence;

/// <summary>
/// A stick table held in this node. Lookups and touches take no lock: the entries sit in a
/// concurrent dictionary keyed by their bytes (looked up from a span, so a lookup allocates
/// nothing) and an entry's expiry is one volatile field. Inserting, evicting and expiring go
/// through one lock, never held across I/O.
///
/// Eviction and expiry follow HAProxy 2.6 (stick_table.c), whose choices show through when a
/// table fills up: entries wait in a queue ordered by the expiry they had when queued, and a
/// touch does not move them; the queue is fixed up lazily. When the table is full, a new entry
/// evicts up to size/256+1 entries from the head of the queue, looking at no more than twice as
/// many: a head entry touched since it was queued is re-queued at its real expiry instead, and
/// when the search runs out first, the new entry is refused. Expired entries leave the queue
/// head the same way (HAProxy's expiry task), before any decision that depends on the count.
/// </summary>
public sealed class LocalStickTable : IStickTable
{
    private readonly ConcurrentDictionary<byte[], StickEntry> _entries;
    private readonly ConcurrentDictionary<byte[], StickEntry>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private readonly SortedSet<StickEntry> _queue = new(QueueOrder.Instance);
    private readonly object _lock = new();
    private readonly Func<long> _clock;
    private readonly long _expireMs;
    private readonly bool _expires;
    private long _seq;
    private int _count;
    private long _headKey = long.MaxValue; // the queue head's key: an expiry pass is due once the clock reaches it

    /// <param name="clock">milliseconds, monotonic (Environment.TickCount64 by default; tests pass their own)</param>
    public LocalStickTable(StickTableDefinition definition, Func<long>? clock = null)
    {
        Definition = definition;
        _clock = clock ?? (static () => Environment.TickCount64);
        _expires = definition.ExpireMs is > 0;
        _expireMs = definition.ExpireMs ?? 0;
        _entries = new ConcurrentDictionary<byte[], StickEntry>(StickKeyComparer.Instance);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public StickTableDefinition Definition { get; }

    public int Count => Volatile.Read(ref _count);

    public bool TryLookup(ReadOnlySpan<byte> key, out StickEntry entry)
    {
        if (_bySpan.TryGetValue(key, out entry!) && !IsExpired(entry, _clock()) && entry.IsLive) return true;
        entry = null!;
        return false;
    }

    public void Touch(StickEntry entry) => entry.ExpireMs = _clock() + _expireMs;

    public bool TryPrepareStore(out long queueKey)
    {
        long now = _clock();
        queueKey = now + _expireMs;
        if (Volatile.Read(ref _count) < Definition.Size && !PurgeDue(now)) return true;
        lock (_lock)
        {
            PurgeLocked(now);
            if (_count < Definition.Size) return true;
            return !Definition.NoPurge && TrashOldestLocked() > 0;
        }
    }

    public StickEntry? Store(ReadOnlySpan<byte> key, int serverId, long queueKey)
    {
        long now = _clock();
        if (_bySpan.TryGetValue(key, out var found) && !IsExpired(found, now) && found.IsLive)
        {
            found.ServerId = serverId;
            found.ExpireMs = now + _expireMs;
            return found;
        }
        lock (_lock)
        {
            PurgeLocked(now);
            if (_bySpan.TryGetValue(key, out found))
            {
                found.ServerId = serverId;
                found.ExpireMs = now + _expireMs;
                return found;
            }
            // Concurrent sessions may have filled the table since their TryPrepareStore: keep the bound.
            if (_count >= Definition.Size && (Definition.NoPurge || TrashOldestLocked() == 0)) return null;
            var entry = InsertLocked(key, queueKey);
            entry.ServerId = serverId;
            entry.ExpireMs = now + _expireMs;
            return entry;
        }
    }

    public StickEntry? GetOrCreate(ReadOnlySpan<byte> key)
    {
        long now = _clock();
        if (_bySpan.TryGetValue(key, out var found) && !IsExpired(found, now)) return found;
        lock (_lock)
        {
            PurgeLocked(now);
            if (_bySpan.TryGetValue(key, out found)) return found;
            if (_count >= Definition.Size && (Definition.NoPurge || TrashOldestLocked() == 0)) return null;
            return InsertLocked(key, now + _expireMs);
        }
    }

    public bool Remove(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            if (!_bySpan.TryGetValue(key, out var entry)) return false;
            _queue.Remove(entry);
            DropLocked(entry);
            UpdateHeadLocked();
            return true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            foreach (var e in _queue) e.MarkRemoved();
            _queue.Clear();
            _entries.Clear();
            _count = 0;
            UpdateHeadLocked();
        }
    }

    public void PurgeExpired()
    {
        long now = _clock();
        if (!PurgeDue(now)) return;
        lock (_lock) PurgeLocked(now);
    }

    public IReadOnlyList<StickEntry> Snapshot()
    {
        long now = _clock();
        var list = new List<StickEntry>(Count);
        foreach (var (_, e) in _entries)
            if (!IsExpired(e, now)) list.Add(e);
        return list;
    }

    private bool IsExpired(StickEntry e, long now) => _expires && now >= e.ExpireMs;

    private bool PurgeDue(long now) => _expires && now >= Volatile.Read(ref _headKey);

    private StickEntry InsertLocked(ReadOnlySpan<byte> key, long queueKey)
    {
        var entry = new StickEntry(key.ToArray(), Definition.Data, queueKey) { QueueKey = queueKey, QueueSeq = ++_seq };
        _entries[entry.KeyArray] = entry;
        _queue.Add(entry);
        _count++;
        UpdateHeadLocked();
        return entry;
    }

    private void DropLocked(StickEntry entry)
    {
        _entries.TryRemove(new KeyValuePair<byte[], StickEntry>(entry.KeyArray, entry));
        entry.MarkRemoved();
        _count--;
    }

    private void RequeueLocked(StickEntry entry, long key)
    {
        entry.QueueKey = key;
        entry.QueueSeq = ++_seq;
        _queue.Add(entry);
    }

    /// <summary>HAProxy's expiry task: head entries whose queue key has passed are dropped when
    /// expired, re-queued at their real expiry when they were touched since.</summary>
    private void PurgeLocked(long now)
    {
        if (!_expires) return;
        while (_queue.Count > 0)
        {
            var head = _queue.Min!;
            if (now < head.QueueKey) break;
            _queue.Remove(head);
            long expire = head.ExpireMs;
            if (now < expire) RequeueLocked(head, expire);
            else DropLocked(head);
        }
        UpdateHeadLocked();
    }

    /// <summary>HAProxy's stktable_trash_oldest for a full table. Returns how many entries went.</summary>
    private int TrashOldestLocked()
    {
        int toBatch = (int)(Definition.Size >> 8) + 1;
        int maxSearch = toBatch * 2;
        int batched = 0;
        while (batched < toBatch && _queue.Count > 0)
        {
            if (--maxSearch < 0) break;
            var head = _queue.Min!;
            _queue.Remove(head);
            long expire = head.ExpireMs;
            if (expire != head.QueueKey)
            {
                RequeueLocked(head, expire);
                continue;
            }
            DropLocked(head);
            batched++;
        }
        UpdateHeadLocked();
        return batched;
    }

    private void UpdateHeadLocked() => Volatile.Write(ref _headKey, _queue.Count > 0 ? _queue.Min!.QueueKey : long.MaxValue);

    /// <summary>Queue order: the queued expiry, then queuing order (HAProxy's trees keep equal keys in insertion order).</summary>
    private sealed class QueueOrder : IComparer<StickEntry>
    {
        public static readonly QueueOrder Instance = new();

        public int Compare(StickEntry? x, StickEntry? y)
        {
            int c = x!.QueueKey.CompareTo(y!.QueueKey);
            return c != 0 ? c : x.QueueSeq.CompareTo(y.QueueSeq);
        }
    }
}
