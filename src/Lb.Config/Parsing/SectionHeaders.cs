using Lb.Config.Model;

namespace Lb.Config.Parsing;

/// <summary>The words that open a section in haproxy.cfg.</summary>
internal static class SectionHeaders
{
    private static readonly Dictionary<string, SectionKind> Kinds = new(StringComparer.Ordinal)
    {
        ["global"] = SectionKind.Global,
        ["defaults"] = SectionKind.Defaults,
        ["frontend"] = SectionKind.Frontend,
        ["backend"] = SectionKind.Backend,
        ["listen"] = SectionKind.Listen,
        ["peers"] = SectionKind.Peers,
        ["resolvers"] = SectionKind.Resolvers,
        ["userlist"] = SectionKind.Userlist,
        // Known to HAProxy 2.6, kept as written.
        ["mailers"] = SectionKind.Other,
        ["program"] = SectionKind.Other,
        ["cache"] = SectionKind.Other,
        ["http-errors"] = SectionKind.Other,
        ["ring"] = SectionKind.Other,
        ["fcgi-app"] = SectionKind.Other,
    };

    public static IEnumerable<string> Names => Kinds.Keys;
    public static bool IsHeader(string word) => Kinds.ContainsKey(word);
    public static SectionKind KindOf(string word) => Kinds[word];
}
