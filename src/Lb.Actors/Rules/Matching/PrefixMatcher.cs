namespace Lb.Actors.Rules.Matching;

/// <summary>'-m beg': the sample starts with one of the patterns.</summary>
internal sealed class PrefixMatcher(IReadOnlyList<byte[]> patterns, bool ignoreCase) : TextMatcher(patterns, ignoreCase)
{
    protected override bool Match(ReadOnlySpan<byte> sample)
    {
        foreach (var p in Patterns)
            if (sample.StartsWith(p)) return true;
        return false;
    }
}
