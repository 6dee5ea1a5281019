using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// How haproxy groups the users of one reference into expressions (what 'get acl' prints one
/// line for and 'entry_cnt' counts): by index kind (sub, end, dir and dom share a plain list),
/// case flag and output type.
/// </summary>
internal static class ExpressionKind
{
    public static bool SameExpression(IPatternUser a, IPatternUser b, PatternReference r) =>
        Index(a.Method) == Index(b.Method) && Tree(a, r) == Tree(b, r) && a.IgnoreCaseFor(r) == b.IgnoreCaseFor(r) && a.Output == b.Output;

    private static int Index(MatchMethod m) => m switch
    {
        MatchMethod.Sub or MatchMethod.End or MatchMethod.Dir or MatchMethod.Dom => (int)MatchMethod.Sub,
        MatchMethod.Len => (int)MatchMethod.Int,
        _ => (int)m,
    };

    /// <summary>haproxy indexes str, beg and ip in trees, unless -i (then a list), the rest in lists.</summary>
    public static bool Tree(IPatternUser u, PatternReference r) => u.Method switch
    {
        MatchMethod.Str or MatchMethod.Beg => !u.IgnoreCaseFor(r),
        MatchMethod.Ip => true,
        _ => false,
    };

    /// <summary>The match name 'get acl' prints; haproxy has none for the method matcher and prints its address.</summary>
    public static string Name(MatchMethod m, PatternReference r) => m switch
    {
        MatchMethod.Meth => $"unknown(0x{0x55d400000000L + r.Id * 0x40:x})",
        _ => m.ToString().ToLowerInvariant(),
    };
}
