namespace Lb.Config.Parsing;

/// <summary>"did you mean" hints for misspelt keywords (edit distance, as haproxy 2.6 does).</summary>
internal static class Suggest
{
    private const int MaxWordLength = 64;

    /// <summary>"; did you mean 'X' maybe ?" or "" when nothing is close enough.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        if (word.Length == 0 || word.Length > MaxWordLength) return "";
        int limit = Math.Max(1, Math.Min(3, word.Length / 3));
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            if (Math.Abs(c.Length - word.Length) > limit) continue;
            int dist = Distance(word, c);
            if (dist < bestDistance) { bestDistance = dist; best = c; }
        }
        return best != null && bestDistance <= limit ? $"; did you mean '{best}' maybe ?" : "";
    }

    /// <summary>The hint, or "." to end the sentence when there is none.</summary>
    public static string OrPeriod(string word, IEnumerable<string> candidates)
    {
        var hint = DidYouMean(word, candidates);
        return hint.Length == 0 ? "." : hint;
    }

    /// <summary>Edit distance counting a swap of two neighbours as one edit ("chekc" → "check").</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    v = Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
            }
        }
        return d[a.Length, b.Length];
    }
}
