using System.Collections.Immutable;
using Lb.Config.Model;

namespace Lb.Actors.Persistence;

/// <summary>
/// The node's stick tables by name (the proxy that declares them), built once from the config.
/// Stick rules, and later 'track-sc' rules and the runtime API, find tables here. The factory is
/// the seam for the cluster issue: it decides whether a table lives in this node only
/// (<see cref="LocalStickTable"/>, the default) or is a replica of a cluster-wide table.
/// </summary>
public sealed class StickTableRegistry
{
    public static readonly StickTableRegistry Empty = new(ImmutableDictionary<string, IStickTable>.Empty);

    private readonly ImmutableDictionary<string, IStickTable> _tables;

    private StickTableRegistry(ImmutableDictionary<string, IStickTable> tables) => _tables = tables;

    public IStickTable? Find(string name) => _tables.GetValueOrDefault(name);

    public IEnumerable<IStickTable> All => _tables.Values;

    /// <param name="warnings">receives what Lb cannot honour (store types it does not know, peers)</param>
    public static StickTableRegistry Build(LbConfig config, Func<StickTableDefinition, IStickTable>? factory = null, ICollection<string>? warnings = null)
    {
        factory ??= static d => new LocalStickTable(d);
        var map = ImmutableDictionary.CreateBuilder<string, IStickTable>(StringComparer.Ordinal);
        foreach (var proxy in config.Proxies)
        {
            if (proxy.StickTable is not { } t || map.ContainsKey(proxy.Name)) continue;
            var unsupported = new List<string>();
            var definition = StickTableDefinition.From(proxy.Name, t, unsupported);
            if (UsedByStickRules(config, proxy.Name)) definition = definition with { StoresServer = true };
            foreach (var item in unsupported)
                warnings?.Add($"stick-table '{proxy.Name}' ({t.Location}): data type '{item}' is not supported by Lb and is not stored.");
            if (t.Peers is { } peers)
                warnings?.Add($"stick-table '{proxy.Name}' ({t.Location}): 'peers {peers}' is ignored, the table is local to this node.");
            map[proxy.Name] = factory(definition);
        }
        return new StickTableRegistry(map.ToImmutable());
    }

    private static bool UsedByStickRules(LbConfig config, string table) =>
        config.Proxies.Any(p => p.StickRules.Any(r => (r.Table ?? p.Name) == table));
}
