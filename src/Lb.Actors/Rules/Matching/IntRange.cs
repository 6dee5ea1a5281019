using System.Globalization;

namespace Lb.Actors.Rules.Matching;

/// <summary>An inclusive integer range, as HAProxy's integer patterns are stored.</summary>
public readonly record struct IntRange(long Min, long Max)
{
    public bool Contains(long v) => v >= Min && v <= Max;

    /// <summary>
    /// Parses the integer patterns of an ACL: values "N", ranges "N:M", ":M", "N:", and the
    /// operators eq, ge, gt, le, lt, each applying to the values after it ("lt 1" is ":0").
    /// </summary>
    public static bool TryParseAll(IEnumerable<string> words, List<IntRange> ranges, out string? error)
    {
        error = null;
        string op = "eq";
        foreach (var w in words)
        {
            if (w is "eq" or "ge" or "gt" or "le" or "lt") { op = w; continue; }
            if (w.Contains(':') || op == "eq")
            {
                if (!TryParseRange(w, out var r)) { error = $"'{w}' is not a number or a range"; return false; }
                ranges.Add(r);
                continue;
            }
            if (!long.TryParse(w, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            {
                error = $"'{w}' is not a number";
                return false;
            }
            ranges.Add(op switch
            {
                "ge" => new IntRange(v, long.MaxValue),
                "gt" => new IntRange(v == long.MaxValue ? v : v + 1, v == long.MaxValue ? long.MinValue : long.MaxValue),
                "le" => new IntRange(long.MinValue, v),
                _ => new IntRange(long.MinValue, v == long.MinValue ? v : v - 1), // lt
            });
        }
        return true;
    }

    /// <summary>
    /// The patterns as haproxy stores them in the ACL's reference (and 'show acl' prints them):
    /// the operators folded into ranges ("gt 100000" is "100001:", "lt 5" is ":4", "eq 5" is
    /// "5"). Words that do not parse are kept for the matcher to report.
    /// </summary>
    public static List<string> Normalize(IEnumerable<string> words)
    {
        var list = new List<string>();
        string op = "eq";
        foreach (var w in words)
        {
            if (w is "eq" or "ge" or "gt" or "le" or "lt") { op = w; continue; }
            if (w.Contains(':') || op == "eq" || !TryLong(w, out long v)) { list.Add(w); continue; }
            list.Add(op switch
            {
                "ge" => $"{v}:",
                "gt" => v == long.MaxValue ? w : $"{v + 1}:",
                "le" => $":{v}",
                _ => v == long.MinValue ? w : $":{v - 1}",
            });
        }
        return list;
    }

    private static bool TryParseRange(string w, out IntRange range)
    {
        range = default;
        int colon = w.IndexOf(':');
        if (colon < 0)
        {
            if (!TryLong(w, out long v)) return false;
            range = new IntRange(v, v);
            return true;
        }
        var lo = w[..colon];
        var hi = w[(colon + 1)..];
        long min = long.MinValue, max = long.MaxValue;
        if (lo.Length > 0 && !TryLong(lo, out min)) return false;
        if (hi.Length > 0 && !TryLong(hi, out max)) return false;
        if (lo.Length == 0 && hi.Length == 0) return false;
        range = new IntRange(min, max);
        return true;
    }

    private static bool TryLong(string s, out long v) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v);

    /// <summary>HAProxy's text-to-integer cast: an optional sign then the leading digits ("12ab" is
    /// 12, "ab" is 0). An empty text does not convert.</summary>
    public static bool TryReadLeading(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty) return false;
        int i = 0;
        bool negative = false;
        if (text[0] is (byte)'-' or (byte)'+') { negative = text[0] == '-'; i++; }
        long v = 0;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            v = unchecked(v * 10 + (text[i] - '0'));
        }
        value = negative ? -v : v;
        return true;
    }
}
