using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Lb.Actors.Rules.Matching;

/// <summary>
/// '-m reg': one of the regular expressions finds a match anywhere in the sample (unanchored,
/// as PCRE is called by HAProxy). Each expression is compiled once, at load; a sample is decoded
/// to characters on the stack and matched without allocating.
/// </summary>
internal sealed class RegexMatcher : Matcher
{
    private const int StackChars = 512;
    private readonly Regex[] _regexes;

    public RegexMatcher(IReadOnlyList<Regex> regexes) => _regexes = regexes.ToArray();

    public static Regex Compile(string pattern, bool ignoreCase) =>
        new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None),
            TimeSpan.FromMilliseconds(100));

    public override bool MatchString(ReadOnlySpan<byte> sample)
    {
        if (sample.Length <= StackChars)
        {
            Span<char> text = stackalloc char[sample.Length];
            Encoding.Latin1.GetChars(sample, text);
            return Any(text);
        }
        var rented = ArrayPool<char>.Shared.Rent(sample.Length);
        try
        {
            int n = Encoding.Latin1.GetChars(sample, rented);
            return Any(rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private bool Any(ReadOnlySpan<char> text)
    {
        foreach (var r in _regexes)
        {
            try
            {
                if (r.IsMatch(text)) return true;
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern on a hostile sample counts as no match rather than
                // holding the connection's thread.
            }
        }
        return false;
    }
}
