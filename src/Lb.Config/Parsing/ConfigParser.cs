using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Model;

namespace Lb.Config.Parsing;

/// <summary>Placeholder while the real parser is written.</summary>
internal sealed class ConfigParser
{
    private readonly DiagnosticBag _diags;
    public ConfigParser(DiagnosticBag diags) => _diags = diags;
    public void Feed(IEnumerable<ConfigLine> lines) { foreach (var _ in lines) { } }
    public LoadResult Finish(IReadOnlyList<string> files) =>
        new(_diags.HasAlerts ? null : new LbConfig(new GlobalSettings(), ImmutableArray<Proxy>.Empty, ImmutableArray<RawSection>.Empty, files.ToImmutableArray()), _diags.Items.ToImmutableArray());
}
