using System.Collections.Immutable;
using Lb.Config.Model;

namespace Lb.Actors.Backends;

/// <summary>Builds the snapshot of usable servers from their admin and health states.</summary>
public static class SnapshotBuilder
{
    /// <summary>
    /// Servers start usable unless 'disabled' (MAINT), weight 0 or unresolvable; health checks
    /// (a later issue) will take them in and out through the backend actor.
    /// </summary>
    public static BackendSnapshot Initial(Proxy config, ImmutableArray<ServerRuntime> servers) =>
        Build(config, servers, s => !s.Config.Disabled && s.EndPoint != null);

    /// <param name="previous">the snapshot being replaced, whose balancer position carries over</param>
    public static BackendSnapshot Build(Proxy config, ImmutableArray<ServerRuntime> servers, Func<ServerRuntime, bool> usable, BackendSnapshot? previous = null)
    {
        var active = servers.Where(s => !s.Config.Backup && usable(s)).ToImmutableArray();
        var backups = servers.Where(s => s.Config.Backup && usable(s)).ToImmutableArray();
        return new BackendSnapshot(config, servers, active, backups, previous);
    }
}
