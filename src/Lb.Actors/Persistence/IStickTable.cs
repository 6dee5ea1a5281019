namespace Lb.Actors.Persistence;

/// <summary>
/// A stick table as sessions and the runtime use it: the one seam between the persistence rules
/// and where the entries live. Today <see cref="LocalStickTable"/> keeps them in this node; the
/// cluster issue backs the same interface with a local replica fed by the cluster singleton
/// that owns the shared table: reads stay local (no remote Ask per request) and writes are
/// applied locally, then sent on.
///
/// Keys are the bytes <see cref="StickKeys"/> encodes for the table's type. Every member is
/// thread-safe; none blocks on I/O.
/// </summary>
public interface IStickTable
{
    StickTableDefinition Definition { get; }

    /// <summary>Entries held now, the expired ones not purged yet included.</summary>
    int Count { get; }

    /// <summary>
    /// The live entry for the key, without allocating. Does not refresh its expiry: a
    /// 'stick match' that uses the entry calls <see cref="Touch"/>.
    /// </summary>
    bool TryLookup(ReadOnlySpan<byte> key, out StickEntry entry);

    /// <summary>Pushes the entry's expiry to now + 'expire' (HAProxy's stktable_touch_local).</summary>
    void Touch(StickEntry entry);

    /// <summary>
    /// Makes room for an entry a session will store once it knows its server (a 'stick on' or
    /// 'stick store-*' rule): when the table is full, the oldest entries go, as in HAProxy; false
    /// when there is no room ('nopurge', or nothing could be evicted). <paramref name="queueKey"/>
    /// is the expiry the entry would have had now; pass it to <see cref="Store"/>.
    /// </summary>
    bool TryPrepareStore(out long queueKey);

    /// <summary>
    /// Records that the key sticks to <paramref name="serverId"/>: updates the existing entry or
    /// inserts a new one, and refreshes its expiry. Null when a full 'nopurge' table refused it.
    /// </summary>
    StickEntry? Store(ReadOnlySpan<byte> key, int serverId, long queueKey);

    /// <summary>The entry for the key, created when missing (what 'track-sc' needs); null when the table is full and cannot evict.</summary>
    StickEntry? GetOrCreate(ReadOnlySpan<byte> key);

    bool Remove(ReadOnlySpan<byte> key);

    void Clear();

    /// <summary>Drops the entries whose expiry has passed (HAProxy's expiry task).</summary>
    void PurgeExpired();

    /// <summary>A copy of the live entries, for 'show table' and tests.</summary>
    IReadOnlyList<StickEntry> Snapshot();
}
