using System.Collections.Immutable;
using Lb.Config.Diagnostics;

namespace Lb.Config.Model;

/// <summary>A section the runtime does not use yet (peers, resolvers, userlist, ...), kept as written.</summary>
public sealed record RawSection(SectionKind Kind, string Keyword, string Name, SourceLocation Location, ImmutableArray<Directive> Lines);

/// <summary>The whole configuration: global settings and every proxy, in file order.</summary>
public sealed record LbConfig(
    GlobalSettings Global,
    ImmutableArray<Proxy> Proxies,
    ImmutableArray<RawSection> OtherSections,
    ImmutableArray<string> Files)
{
    public IEnumerable<Proxy> Frontends => Proxies.Where(p => p.IsFrontend);
    public IEnumerable<Proxy> Backends => Proxies.Where(p => p.IsBackend);

    private Dictionary<string, Proxy>? _byName;
    private Dictionary<string, Proxy>? _backendsByName;

    public Proxy? FindProxy(string name) => (_byName ??= Index(Proxies)).GetValueOrDefault(name);
    public Proxy? FindBackend(string name) => (_backendsByName ??= Index(Proxies.Where(p => p.IsBackend))).GetValueOrDefault(name);

    // First declaration wins, like a linear search would (duplicates are alerts anyway).
    private static Dictionary<string, Proxy> Index(IEnumerable<Proxy> proxies)
    {
        var map = new Dictionary<string, Proxy>(StringComparer.Ordinal);
        foreach (var p in proxies) map.TryAdd(p.Name, p);
        return map;
    }
}

/// <summary>What loading produced: the model when there were no alerts, and every finding.</summary>
public sealed record LoadResult(LbConfig? Config, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Success => Config != null;
    public IEnumerable<Diagnostic> Alerts => Diagnostics.Where(d => d.Severity == Severity.Alert);
    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => d.Severity == Severity.Warning);
}
