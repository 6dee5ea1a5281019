using System.Text;
using Lb.Actors.Http;

namespace Lb.Actors.Rules.Matching;

/// <summary>
/// The 'method' fetch's own matching: a well-known method pattern (GET, POST... case-sensitive)
/// compares the method's kind; any other pattern compares the text of a request whose method is
/// not a well-known one (with '-i', ignoring case), as HAProxy's pat_match_meth does.
/// </summary>
internal sealed class MethodMatcher : Matcher
{
    private readonly (RequestMethod Kind, byte[] Text)[] _patterns;
    private readonly bool _ignoreCase;

    public MethodMatcher(IEnumerable<string> patterns, bool ignoreCase)
    {
        _ignoreCase = ignoreCase;
        _patterns = patterns.Select(p =>
        {
            var bytes = Encoding.Latin1.GetBytes(p);
            return (RequestMethods.Classify(bytes), ignoreCase ? AsciiCase.Lower(bytes) : bytes);
        }).ToArray();
    }

    public override bool MatchMethod(RequestMethod method, ReadOnlySpan<byte> text)
    {
        foreach (var (kind, pattern) in _patterns)
        {
            if (kind != RequestMethod.Other) { if (kind == method) return true; continue; }
            if (method != RequestMethod.Other) continue;
            if (_ignoreCase ? AsciiCase.EqualsIgnoreCase(text, pattern) : text.SequenceEqual(pattern)) return true;
        }
        return false;
    }

    public override bool MatchString(ReadOnlySpan<byte> sample) => MatchMethod(RequestMethods.Classify(sample), sample);
}
