using System.Buffers;

namespace Lb.Actors.Rules.Matching;

/// <summary>
/// Base of the text matchers (str, beg, end, sub, dom, dir, bin). With '-i' the patterns are
/// stored lower-cased and each sample is lower-cased once into a stack buffer before the
/// comparisons, so that matching allocates nothing.
/// </summary>
internal abstract class TextMatcher : Matcher
{
    private const int StackLimit = 512;

    protected TextMatcher(IReadOnlyList<byte[]> patterns, bool ignoreCase)
    {
        IgnoreCase = ignoreCase;
        Patterns = ignoreCase ? patterns.Select(AsciiCase.Lower).ToArray() : patterns.ToArray();
    }

    protected bool IgnoreCase { get; }

    /// <summary>The patterns, lower-cased with '-i'.</summary>
    protected byte[][] Patterns { get; }

    public sealed override bool MatchString(ReadOnlySpan<byte> sample)
    {
        if (!IgnoreCase) return Match(sample);
        if (sample.Length <= StackLimit)
        {
            Span<byte> lowered = stackalloc byte[sample.Length]; // sized to the sample: stack memory is zeroed
            AsciiCase.Lower(sample, lowered);
            return Match(lowered);
        }
        var rented = ArrayPool<byte>.Shared.Rent(sample.Length);
        try
        {
            AsciiCase.Lower(sample, rented);
            return Match(rented.AsSpan(0, sample.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The sample, already lower-cased when the matcher ignores case.</summary>
    protected abstract bool Match(ReadOnlySpan<byte> sample);
}
