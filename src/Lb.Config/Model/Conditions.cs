using System.Collections.Immutable;
using Lb.Config.Diagnostics;

namespace Lb.Config.Model;

/// <summary>
/// An ACL declaration: 'acl NAME CRITERION [FLAGS] [OPERATOR] [VALUE...]'. The matching engine
/// (Rules/ in Lb.Actors) interprets criterion, flags and patterns; the parser keeps them apart.
/// </summary>
public sealed record AclDefinition(
    string Name,
    string Criterion,
    ImmutableArray<string> Flags,
    ImmutableArray<string> Patterns,
    SourceLocation Location)
{
    public bool IgnoreCase => Flags.Contains("-i");
    public string? MatchMethod => FlagValue("-m");
    public ImmutableArray<string> PatternFiles
    {
        get
        {
            var files = ImmutableArray.CreateBuilder<string>();
            for (int i = 0; i + 1 < Flags.Length; i++)
            {
                if (Flags[i] is "-m" or "-u") { i++; continue; }
                if (Flags[i] == "-f") files.Add(Flags[++i]);
            }
            return files.ToImmutable();
        }
    }

    // Flags holds "-i", "-n", "-M" alone and "-m X", "-f X", "-u X" as pairs; walk them as such.
    private string? FlagValue(string flag)
    {
        string? value = null;
        for (int i = 0; i < Flags.Length; i++)
        {
            if (Flags[i] is not ("-m" or "-f" or "-u") || i + 1 >= Flags.Length) continue;
            if (Flags[i] == flag) value = Flags[i + 1];
            i++;
        }
        return value;
    }
}

/// <summary>One operand of a condition: a named ACL or an anonymous '{ ... }' one, maybe negated.</summary>
public sealed record AclTerm(bool Negated, string? Name, AclDefinition? Anonymous)
{
    public override string ToString() => (Negated ? "!" : "") + (Name ?? "{ " + Anonymous!.Criterion + " ... }");
}

/// <summary>
/// 'if|unless' followed by terms: terms side by side are ANDed, '||' or 'or' separate OR groups.
/// </summary>
public sealed record Condition(bool Unless, ImmutableArray<ImmutableArray<AclTerm>> AnyOf)
{
    public IEnumerable<AclTerm> Terms => AnyOf.SelectMany(g => g);
    public override string ToString() =>
        (Unless ? "unless " : "if ") + string.Join(" || ", AnyOf.Select(g => string.Join(' ', g)));
}
