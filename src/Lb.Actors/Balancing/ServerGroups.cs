using System.Collections.Immutable;
using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// The servers a balancer works over, as HAProxy groups them: every configured server (declaration
/// order), the usable active ones and the usable backups (usable = up, not in maintenance, weight
/// above 0). Active servers take all balanced traffic; without any, the first usable backup does,
/// or every usable backup with 'option allbackups'. Weights are read once, when the group is built
/// (the backend actor builds a new group whenever one changes, slowstart steps included).
/// </summary>
public sealed class ServerGroups
{
    private readonly Dictionary<ServerRuntime, int> _index;

    public ServerGroups(ImmutableArray<ServerRuntime> all, ImmutableArray<ServerRuntime> active, ImmutableArray<ServerRuntime> backups, bool allBackups)
    {
        All = all;
        _index = new Dictionary<ServerRuntime, int>(all.Length, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < all.Length; i++) _index[all[i]] = i;
        Weights = all.Select(s => s.Weight).ToImmutableArray();
        ScaledWeights = all.Select(s => s.ScaledWeight).ToImmutableArray();
        Active = active.Where(s => Weights[IndexOf(s)] > 0).ToImmutableArray();
        Backups = backups.Where(s => Weights[IndexOf(s)] > 0).ToImmutableArray();
        AllBackups = allBackups;
    }

    public ImmutableArray<ServerRuntime> All { get; }

    /// <summary>The user weight (0..256) of each server of <see cref="All"/>, same order.</summary>
    public ImmutableArray<int> Weights { get; }

    /// <summary>HAProxy's effective weights (user weight x 16, ramped during slowstart), same order.</summary>
    public ImmutableArray<int> ScaledWeights { get; }

    public ImmutableArray<ServerRuntime> Active { get; }
    public ImmutableArray<ServerRuntime> Backups { get; }
    public bool AllBackups { get; }

    /// <summary>HAProxy's 'fbck': the one backup that serves alone when no active server is usable.</summary>
    public ServerRuntime? FirstBackup => Active.IsEmpty && !AllBackups && !Backups.IsEmpty ? Backups[0] : null;

    /// <summary>The group balanced over: the active servers, else the backups.</summary>
    public ImmutableArray<ServerRuntime> Group => !Active.IsEmpty ? Active : Backups;

    /// <summary>HAProxy's tot_used: servers taking traffic now.</summary>
    public int InUse => !Active.IsEmpty ? Active.Length : FirstBackup != null ? 1 : Backups.Length;

    public int IndexOf(ServerRuntime s) => _index.TryGetValue(s, out var i) ? i : -1;

    public int WeightOf(ServerRuntime s) => Weights[IndexOf(s)];

    /// <summary>The effective weight the dynamic algorithms use (user weight x 16 unless ramping).</summary>
    public int ScaledWeightOf(ServerRuntime s) => ScaledWeights[IndexOf(s)];

    public bool IsUsable(ServerRuntime s) => Active.Contains(s) || Backups.Contains(s);

    public static ServerGroups Of(IEnumerable<ServerRuntime> servers, bool allBackups = false)
    {
        var all = servers.ToImmutableArray();
        return new ServerGroups(all, all.Where(s => !s.Config.Backup).ToImmutableArray(), all.Where(s => s.Config.Backup).ToImmutableArray(), allBackups);
    }
}
