using System.Collections.Immutable;
using Lb.Actors.Balancing;
using Lb.Config.Model;

namespace Lb.Actors.Backends;

/// <summary>
/// What a session needs to pick a server, frozen: the usable active servers, the usable backups
/// and the balancer built over them. The backend actor publishes a new one on every change;
/// sessions read the current one without locks or messages.
/// </summary>
public sealed class BackendSnapshot
{
    /// <param name="previous">the snapshot this one replaces: its balancer hands over its position</param>
    public BackendSnapshot(Proxy config, ImmutableArray<ServerRuntime> all, ImmutableArray<ServerRuntime> active, ImmutableArray<ServerRuntime> backups,
        BackendSnapshot? previous = null)
    {
        Config = config;
        All = all;
        Active = active;
        Backups = backups;
        var serving = !active.IsEmpty ? active
            : backups.IsEmpty ? backups
            : config.HasOption("allbackups") ? backups : backups.Take(1).ToImmutableArray();
        Serving = serving;
        var groups = new ServerGroups(all, active, backups, config.HasOption("allbackups"));
        Balanced = groups.FirstBackup is { } fb ? [fb] : groups.Group;
        // The servers that may take requests from the backend's queue: the balanced ones.
        foreach (var s in all) s.SetBalanced(false);
        foreach (var s in Balanced) s.SetBalanced(true);
        Balancer = BalancerFactory.Create(config, groups, previous?.Balancer);
    }

    public Proxy Config { get; }
    public ImmutableArray<ServerRuntime> All { get; }
    public ImmutableArray<ServerRuntime> Active { get; }
    public ImmutableArray<ServerRuntime> Backups { get; }

    /// <summary>The servers that take balanced traffic now: active ones, else the backup(s).</summary>
    public ImmutableArray<ServerRuntime> Serving { get; }

    /// <summary>The servers the balancer chooses among (serving, weight above 0); empty: no server, 503.</summary>
    public ImmutableArray<ServerRuntime> Balanced { get; }

    public IBalancer Balancer { get; }

    public ServerRuntime? FindServer(string name)
    {
        foreach (var s in All) if (s.Name == name) return s;
        return null;
    }
}
