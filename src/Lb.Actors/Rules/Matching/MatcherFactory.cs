using System.Text;
using System.Text.RegularExpressions;

namespace Lb.Actors.Rules.Matching;

/// <summary>Compiles an ACL's patterns for its match method, at load. Errors are returned, never thrown.</summary>
public static class MatcherFactory
{
    /// <summary>The matcher, or null with <paramref name="error"/> saying which pattern is wrong.</summary>
    public static Matcher? Create(MatchMethod method, IReadOnlyList<string> patterns, bool ignoreCase, out string? error)
    {
        error = null;
        switch (method)
        {
            case MatchMethod.Found:
                return FoundMatcher.Instance;
            case MatchMethod.Bool:
                return BoolMatcher.Instance;
            case MatchMethod.Meth:
                return patterns.Count == 0 ? NeverMatcher.Instance : new MethodMatcher(patterns, ignoreCase);
            case MatchMethod.Int or MatchMethod.Len:
            {
                var ranges = new List<IntRange>();
                if (!IntRange.TryParseAll(patterns, ranges, out error)) return null;
                if (ranges.Count == 0) return NeverMatcher.Instance;
                return method == MatchMethod.Int ? new IntMatcher(ranges) : new LengthMatcher(ranges);
            }
            case MatchMethod.Ip:
            {
                var networks = new List<IpNetwork>();
                foreach (var p in patterns)
                {
                    if (!IpNetwork.TryParse(p, out var n)) { error = $"'{p}' is not a valid IPv4 or IPv6 address or network"; return null; }
                    networks.Add(n);
                }
                return networks.Count == 0 ? NeverMatcher.Instance : new IpMatcher(networks);
            }
            case MatchMethod.Reg:
            {
                var regexes = new List<Regex>();
                foreach (var p in patterns)
                {
                    try { regexes.Add(RegexMatcher.Compile(p, ignoreCase)); }
                    catch (ArgumentException e) { error = $"regex '{p}' is invalid: {e.Message}"; return null; }
                }
                if (regexes.Count == 0) return NeverMatcher.Instance;
                // Several patterns ("iphone android mobile") become one alternation, matched in one
                // pass, unless a pattern uses group numbers or names that the merge would shift.
                if (regexes.Count > 1 && patterns.All(CanMerge))
                    regexes = [RegexMatcher.Compile(string.Join("|", patterns.Select(p => "(?:" + p + ")")), ignoreCase)];
                return new RegexMatcher(regexes);
            }
            case MatchMethod.Bin:
            {
                var bytes = new List<byte[]>();
                foreach (var p in patterns)
                {
                    try { bytes.Add(Convert.FromHexString(p)); }
                    catch (FormatException) { error = $"'{p}' is not an even number of hexadecimal digits"; return null; }
                }
                return bytes.Count == 0 ? NeverMatcher.Instance : new ExactMatcher(bytes, ignoreCase: false);
            }
        }
        if (patterns.Count == 0) return NeverMatcher.Instance;
        var texts = patterns.Select(p => Encoding.Latin1.GetBytes(p)).ToArray();
        return method switch
        {
            MatchMethod.Str => new ExactMatcher(texts, ignoreCase),
            MatchMethod.Beg => new PrefixMatcher(texts, ignoreCase),
            MatchMethod.End => new SuffixMatcher(texts, ignoreCase),
            MatchMethod.Sub => new SubstringMatcher(texts, ignoreCase),
            MatchMethod.Dom => new WordMatcher(texts, ignoreCase, domain: true),
            _ => new WordMatcher(texts, ignoreCase, domain: false),
        };
    }

    private static bool CanMerge(string pattern) =>
        !System.Text.RegularExpressions.Regex.IsMatch(pattern, @"\\[0-9k]|\(\?(<[^=!]|P|')");

    /// <summary>
    /// The patterns of a '-f' file as HAProxy reads them: one per line, leading blanks removed,
    /// lines starting with '#' and empty lines skipped, the rest of the line kept as is.
    /// </summary>
    public static List<string> ReadPatternFile(string path)
    {
        var list = new List<string>();
        foreach (var raw in File.ReadLines(path, Encoding.Latin1))
        {
            if (raw.StartsWith('#')) continue;
            var line = raw.TrimStart(' ', '\t').TrimEnd('\r', '\n');
            if (line.Length == 0) continue;
            list.Add(line);
        }
        return list;
    }
}
