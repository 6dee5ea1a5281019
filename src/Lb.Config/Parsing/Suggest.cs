namespace Lb.Config.Parsing;

/// <summary>"did you mean" hints for misspelt keywords (edit distance, as haproxy 2.6 does).</summary>
internal static class Suggest
{
    /// <summary>"; did you mean 'X' maybe ?" or "" when nothing is close enough.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int dist = Distance(word, c);
            if (dist < bestDistance) { bestDistance = dist; best = c; }
        }
        int limit = Math.Max(1, Math.Min(3, word.Length / 3));
        return best != null && bestDistance <= limit ? $"; did you mean '{best}' maybe ?" : "";
    }

    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
