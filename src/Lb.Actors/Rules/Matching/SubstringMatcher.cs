namespace Lb.Actors.Rules.Matching;

/// <summary>'-m sub': one of the patterns occurs somewhere in the sample.</summary>
internal sealed class SubstringMatcher(IReadOnlyList<byte[]> patterns, bool ignoreCase) : TextMatcher(patterns, ignoreCase)
{
    protected override bool Match(ReadOnlySpan<byte> sample)
    {
        foreach (var p in Patterns)
            if (sample.IndexOf(p) >= 0) return true;
        return false;
    }
}
