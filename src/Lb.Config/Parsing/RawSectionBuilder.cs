using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Model;

namespace Lb.Config.Parsing;

/// <summary>peers, resolvers, userlist and the other sections Lb keeps without using yet.</summary>
internal sealed class RawSectionBuilder : ISectionParser
{
    private readonly SectionKind _kind;
    private readonly ConfigLine _header;
    private readonly List<Directive> _lines = new();

    public RawSectionBuilder(SectionKind kind, ConfigLine header, DiagnosticBag diags)
    {
        _kind = kind;
        _header = header;
        if (header[1].Length == 0 && kind != SectionKind.Other)
            diags.Alert(header.Location, header.Keyword, $"missing name for {header.Keyword} section.");
    }

    public void Parse(ConfigLine line) => _lines.Add(new Directive(line.Words.ToImmutableArray(), line.Location));

    public RawSection Build() => new(_kind, _header.Keyword, _header[1], _header.Location, _lines.ToImmutableArray());
}
