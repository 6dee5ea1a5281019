using System.Collections.Frozen;
using System.Text;

namespace Lb.Actors.Rules.Matching;

/// <summary>
/// '-m str' (and '-m bin' with decoded bytes): the sample equals one of the patterns. Up to a
/// handful of patterns are compared one by one; more (pattern files) go through a frozen set
/// looked up with the sample's text on the stack.
/// </summary>
internal sealed class ExactMatcher : TextMatcher
{
    private const int LinearLimit = 8;
    private const int StackChars = 512;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>>? _lookup;

    public ExactMatcher(IReadOnlyList<byte[]> patterns, bool ignoreCase) : base(patterns, ignoreCase)
    {
        if (Patterns.Length > LinearLimit)
            _lookup = Patterns.Select(p => Encoding.Latin1.GetString(p)).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    protected override bool Match(ReadOnlySpan<byte> sample)
    {
        if (_lookup is { } lookup && sample.Length <= StackChars)
        {
            Span<char> text = stackalloc char[sample.Length];
            Encoding.Latin1.GetChars(sample, text);
            return lookup.Contains(text);
        }
        foreach (var p in Patterns)
            if (sample.SequenceEqual(p)) return true;
        return false;
    }
}
