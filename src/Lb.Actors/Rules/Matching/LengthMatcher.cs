namespace Lb.Actors.Rules.Matching;

/// <summary>'-m len': the length of the text sample falls in one of the ranges.</summary>
internal sealed class LengthMatcher(IReadOnlyList<IntRange> ranges) : Matcher
{
    private readonly IntRange[] _ranges = ranges.ToArray();

    public override bool MatchString(ReadOnlySpan<byte> sample)
    {
        foreach (var r in _ranges)
            if (r.Contains(sample.Length)) return true;
        return false;
    }
}
