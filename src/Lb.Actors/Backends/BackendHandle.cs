using Lb.Actors.Stats;

namespace Lb.Actors.Backends;

/// <summary>
/// The published state of one backend: the backend actor swaps <see cref="Snapshot"/> atomically,
/// sessions read it on every request. Also holds the backend's counters, which outlive snapshots.
/// </summary>
public sealed class BackendHandle
{
    private BackendSnapshot _snapshot;
    private long _lastChangeMs = Environment.TickCount64;
    private long _downSinceMs;
    private long _downtimeMs;
    private long _downs;

    public BackendHandle(BackendSnapshot initial, Queueing.BackendQueue? queue = null)
    {
        _snapshot = initial;
        Queue = queue ?? (initial.All.IsEmpty ? new Queueing.BackendQueue() : initial.All[0].Queue);
        Queue.Counters ??= Counters;
        Reuse = Sessions.HttpReuseSettings.Of(initial.Config);
        foreach (var s in initial.All) s.BackendStats = Counters;
        if (initial.Serving.IsEmpty && !initial.All.IsEmpty) _downSinceMs = Environment.TickCount64;
    }

    /// <summary>'http-reuse': which requests may take another session's idle server connection.</summary>
    public Sessions.HttpReuse Reuse { get; }

    /// <summary>The backend's connection slots and queues, shared by all its snapshots.</summary>
    public Queueing.BackendQueue Queue { get; }

    public string Name => _snapshot.Config.Name;

    public BackendSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>The backend's 'show stat' counters (BACKEND row).</summary>
    public TrafficCounters Counters { get; } = new();

    /// <summary>chkdown of the BACKEND row: times the whole backend went down.</summary>
    public long Downs => Volatile.Read(ref _downs);

    /// <summary>lastchg of the BACKEND row, in seconds.</summary>
    public long LastChangeSeconds(long nowMs) => (nowMs - Volatile.Read(ref _lastChangeMs)) / 1000;

    /// <summary>downtime of the BACKEND row: seconds without any usable server.</summary>
    public long DowntimeSeconds(long nowMs)
    {
        long since = Volatile.Read(ref _downSinceMs);
        return (Volatile.Read(ref _downtimeMs) + (since != 0 ? nowMs - since : 0)) / 1000;
    }

    /// <summary>The backend's compiled 'stick' rules; null when it has none.</summary>
    public Persistence.StickRuleSet? Stick { get; init; }

    internal void Publish(BackendSnapshot next)
    {
        var previous = Volatile.Read(ref _snapshot);
        Volatile.Write(ref _snapshot, next);
        bool wasDown = previous.Serving.IsEmpty, isDown = next.Serving.IsEmpty;
        if (wasDown == isDown || next.All.IsEmpty) return;
        long now = Environment.TickCount64;
        Volatile.Write(ref _lastChangeMs, now);
        if (isDown)
        {
            Interlocked.Increment(ref _downs);
            Volatile.Write(ref _downSinceMs, now);
        }
        else if (Volatile.Read(ref _downSinceMs) is var since and not 0)
        {
            Volatile.Write(ref _downtimeMs, Volatile.Read(ref _downtimeMs) + now - since);
            Volatile.Write(ref _downSinceMs, 0);
        }
    }
}
