using System.Collections.Immutable;
using Akka.Actor;

namespace Lb.Actors.Backends;

/// <summary>
/// Owns one backend's server states and publishes a new <see cref="BackendSnapshot"/> whenever
/// one changes. Health checkers (a later issue) and the runtime API report changes here; the
/// sessions only ever read the published snapshot.
/// </summary>
public sealed class BackendActor : ReceiveActor
{
    /// <summary>Takes a server in or out of balanced traffic (health, admin state).</summary>
    public sealed record SetServerUsable(string Server, bool Usable);

    /// <summary>Sets a server's user weight (0..256; 0 = no balanced traffic), as 'set weight' does.</summary>
    public sealed record SetServerWeight(string Server, int Weight);

    private readonly BackendHandle _handle;
    private readonly Dictionary<string, bool> _usable = new(StringComparer.Ordinal);

    public BackendActor(BackendHandle handle)
    {
        _handle = handle;
        foreach (var s in handle.Snapshot.All)
            _usable[s.Name] = handle.Snapshot.Active.Contains(s) || handle.Snapshot.Backups.Contains(s);
        Receive<SetServerUsable>(OnSetUsable);
        Receive<SetServerWeight>(OnSetWeight);
    }

    public static Props Props(BackendHandle handle) => Akka.Actor.Props.Create(() => new BackendActor(handle));

    private void OnSetUsable(SetServerUsable m)
    {
        if (!_usable.TryGetValue(m.Server, out var was) || was == m.Usable) return;
        _usable[m.Server] = m.Usable;
        var current = _handle.Snapshot;
        _handle.Publish(SnapshotBuilder.Build(current.Config, current.All, s => _usable[s.Name], current));
    }

    private void OnSetWeight(SetServerWeight m)
    {
        var current = _handle.Snapshot;
        if (current.FindServer(m.Server) is not { } server) return;
        int weight = Math.Clamp(m.Weight, 0, 256);
        if (server.Weight == weight) return;
        server.Weight = weight;
        _handle.Publish(SnapshotBuilder.Build(current.Config, current.All, s => _usable[s.Name], current));
    }
}
