namespace Lb.Actors.Rules.Matching;

/// <summary>'-m end': the sample ends with one of the patterns.</summary>
internal sealed class SuffixMatcher(IReadOnlyList<byte[]> patterns, bool ignoreCase) : TextMatcher(patterns, ignoreCase)
{
    protected override bool Match(ReadOnlySpan<byte> sample)
    {
        foreach (var p in Patterns)
            if (sample.EndsWith(p)) return true;
        return false;
    }
}
