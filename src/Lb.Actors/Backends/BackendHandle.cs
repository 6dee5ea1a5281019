namespace Lb.Actors.Backends;

/// <summary>
/// The published state of one backend: the backend actor swaps <see cref="Snapshot"/> atomically,
/// sessions read it on every request.
/// </summary>
public sealed class BackendHandle
{
    private BackendSnapshot _snapshot;

    public BackendHandle(BackendSnapshot initial, Queueing.BackendQueue? queue = null)
    {
        _snapshot = initial;
        Queue = queue ?? (initial.All.IsEmpty ? new Queueing.BackendQueue() : initial.All[0].Queue);
        Reuse = Sessions.HttpReuseSettings.Of(initial.Config);
    }

    /// <summary>'http-reuse': which requests may take another session's idle server connection.</summary>
    public Sessions.HttpReuse Reuse { get; }

    /// <summary>The backend's connection slots and queues, shared by all its snapshots.</summary>
    public Queueing.BackendQueue Queue { get; }

    public string Name => _snapshot.Config.Name;

    public BackendSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>The backend's compiled 'stick' rules; null when it has none.</summary>
    public Persistence.StickRuleSet? Stick { get; init; }

    internal void Publish(BackendSnapshot next) => Volatile.Write(ref _snapshot, next);
}
