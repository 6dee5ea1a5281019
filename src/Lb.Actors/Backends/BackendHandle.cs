namespace Lb.Actors.Backends;

/// <summary>
/// The published state of one backend: the backend actor swaps <see cref="Snapshot"/> atomically,
/// sessions read it on every request.
/// </summary>
public sealed class BackendHandle
{
    private BackendSnapshot _snapshot;

    public BackendHandle(BackendSnapshot initial) => _snapshot = initial;

    public string Name => _snapshot.Config.Name;

    public BackendSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>The backend's compiled 'stick' rules; null when it has none.</summary>
    public Persistence.StickRuleSet? Stick { get; init; }

    internal void Publish(BackendSnapshot next) => Volatile.Write(ref _snapshot, next);
}
