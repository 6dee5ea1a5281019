namespace Lb.Actors.Rules.Matching;

/// <summary>
/// '-m dom' and '-m dir': a pattern occurs in the sample as a whole "word", i.e. bounded on both
/// sides by a delimiter or an end of the sample. Delimiters are '/', '?', '.' and ':' for dom,
/// '/' and '?' for dir; delimiters at either end of a pattern are ignored (HAProxy's
/// match_word).
/// </summary>
internal sealed class WordMatcher : TextMatcher
{
    private readonly bool _domain;

    public WordMatcher(IReadOnlyList<byte[]> patterns, bool ignoreCase, bool domain)
        : base(patterns.Select(p => Trim(p, domain)).ToArray(), ignoreCase)
    {
        _domain = domain;
    }

    private static bool IsDelimiter(byte b, bool domain) => b is (byte)'/' or (byte)'?' || domain && b is (byte)'.' or (byte)':';

    private static byte[] Trim(byte[] p, bool domain)
    {
        int start = 0, end = p.Length;
        while (start < end && IsDelimiter(p[start], domain)) start++;
        while (end > start && IsDelimiter(p[end - 1], domain)) end--;
        return p[start..end];
    }

    protected override bool Match(ReadOnlySpan<byte> sample)
    {
        foreach (var p in Patterns)
            if (MatchWord(sample, p)) return true;
        return false;
    }

    private bool MatchWord(ReadOnlySpan<byte> sample, ReadOnlySpan<byte> word)
    {
        // An empty word (a pattern made of delimiters only) never matches, as in HAProxy.
        if (word.Length == 0 || word.Length > sample.Length) return false;
        bool mayMatch = true;
        int last = sample.Length - word.Length;
        for (int i = 0; i <= last; i++)
        {
            if (IsDelimiter(sample[i], _domain)) { mayMatch = true; continue; }
            if (!mayMatch) continue;
            if (sample.Slice(i, word.Length).SequenceEqual(word) && (i == last || IsDelimiter(sample[i + word.Length], _domain)))
                return true;
            mayMatch = false;
        }
        return false;
    }
}
