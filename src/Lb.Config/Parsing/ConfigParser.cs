using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Keywords;
using Lb.Config.Legacy;
using Lb.Config.Model;
using Lb.Config.Validation;

namespace Lb.Config.Parsing;

/// <summary>
/// Walks the lines of every file, opens sections and hands each line to the parser of the
/// current section. Proxies start as a copy of the 'defaults' in force (the last one seen, or
/// the one named with 'from'); a later 'defaults' replaces the earlier for what follows.
/// </summary>
internal sealed class ConfigParser
{
    private readonly DiagnosticBag _diags;
    private readonly GlobalParser _global;
    private readonly Dictionary<string, ProxyBuilder> _namedDefaults = new(StringComparer.Ordinal);
    private readonly List<ProxyBuilder> _proxies = new();
    private readonly List<RawSectionBuilder> _raw = new();
    private ProxyBuilder _defaults;
    private ISectionParser? _current;

    public ConfigParser(DiagnosticBag diags)
    {
        _diags = diags;
        _global = new GlobalParser(diags);
        _defaults = ProxyBuilder.EmptyDefaults(diags);
    }

    public void Feed(IEnumerable<ConfigLine> lines)
    {
        foreach (var line in lines)
        {
            try
            {
                if (SectionHeaders.IsHeader(line.Keyword)) Open(line);
                else if (_current == null)
                    _diags.Alert(line.Location, line.Keyword, $"unknown keyword '{line.Keyword}' out of section.");
                else _current.Parse(line);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A parser bug must never take the process down: report it against the line.
                _diags.Alert(line.Location, line.Keyword, $"internal error while parsing '{line.Keyword}': {e.Message}");
            }
        }
        // A section never spans two files (as in haproxy).
        _current = null;
    }

    private void Open(ConfigLine line)
    {
        var kind = SectionHeaders.KindOf(line.Keyword);
        switch (kind)
        {
            case SectionKind.Global:
                if (line.Count > 1) _diags.Alert(line.Location, "global", "'global' cannot have arguments");
                _current = _global;
                break;
            case SectionKind.Defaults:
                OpenDefaults(line);
                break;
            case SectionKind.Frontend or SectionKind.Backend or SectionKind.Listen:
                OpenProxy(line, kind);
                break;
            default:
                var raw = new RawSectionBuilder(kind, line, _diags);
                _raw.Add(raw);
                _current = raw;
                break;
        }
    }

    private void OpenDefaults(ConfigLine line)
    {
        // defaults [NAME] [from PARENT]
        string? name = null;
        int i = 1;
        if (line[i].Length > 0 && line[i] != "from") name = line[i++];
        var parent = ResolveFrom(line, ref i) ?? ProxyBuilder.EmptyDefaults(_diags);
        var defaults = parent.DeriveDefaults(name, line.Location);
        if (name != null) _namedDefaults[name] = defaults;
        _defaults = defaults;
        _current = defaults;
    }

    private void OpenProxy(ConfigLine line, SectionKind kind)
    {
        var name = line[1];
        if (name.Length == 0)
        {
            _diags.Alert(line.Location, line.Keyword, $"'{line.Keyword}' needs a <name> argument");
            _current = new DiscardSection();
            return;
        }
        if (!ProxyNames.IsValid(name, out var bad))
            _diags.Alert(line.Location, line.Keyword, $"character '{bad}' is not permitted in '{line.Keyword}' name '{name}'.");

        int i = 2;
        string? legacyAddress = null;
        if (kind == SectionKind.Listen && line[2].Length > 0 && line[2] != "from")
            legacyAddress = line[i++];
        var parent = ResolveFrom(line, ref i) ?? _defaults;
        if (line[i].Length > 0)
            _diags.Alert(line.Location, line.Keyword, $"unexpected argument '{line[i]}' after '{line.Keyword} {name}'");

        var proxy = parent.DeriveProxy(kind, name, line.Location);
        _proxies.Add(proxy);
        _current = proxy;
        if (legacyAddress != null) LegacyTranslator.ListenAddress(proxy, line, legacyAddress);
    }

    private ProxyBuilder? ResolveFrom(ConfigLine line, ref int i)
    {
        if (line[i] != "from") return null;
        var parentName = line[i + 1];
        i += 2;
        if (parentName.Length == 0)
        {
            _diags.Alert(line.Location, "from", "'from' expects the name of a 'defaults' section");
            return null;
        }
        if (_namedDefaults.TryGetValue(parentName, out var parent)) return parent;
        _diags.Alert(line.Location, "from", $"defaults section '{parentName}' not found for {line.Keyword} '{line[1]}'.");
        return null;
    }

    public LoadResult Finish(IReadOnlyList<string> files)
    {
        var proxies = _proxies.Select(p => p.Build()).ToImmutableArray();
        var config = new LbConfig(
            _global.Build(),
            proxies,
            _raw.Select(r => r.Build()).ToImmutableArray(),
            files.ToImmutableArray());
        ConfigValidator.Validate(config, _diags);
        return new LoadResult(_diags.HasAlerts ? null : config, _diags.Items.ToImmutableArray());
    }

    /// <summary>Swallows the lines of a section whose header was already reported as broken.</summary>
    private sealed class DiscardSection : ISectionParser
    {
        public void Parse(ConfigLine line) { }
    }
}
