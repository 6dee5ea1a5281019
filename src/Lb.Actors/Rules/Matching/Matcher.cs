using System.Buffers.Text;
using System.Net;
using Lb.Actors.Http;

namespace Lb.Actors.Rules.Matching;

/// <summary>
/// One ACL's patterns compiled for one match method (-m str, beg, reg, int, ip, ...). A fetch
/// hands each of its samples to the matcher in its own type; a matcher for another type converts
/// the sample the way HAProxy casts it (an integer becomes its decimal text, a text becomes the
/// integer of its leading digits, an address its textual form...). Matchers are immutable and
/// shared by every session.
/// </summary>
public abstract class Matcher
{
    public abstract bool MatchString(ReadOnlySpan<byte> sample);

    public virtual bool MatchInt(long sample)
    {
        Span<byte> text = stackalloc byte[24];
        return Utf8Formatter.TryFormat(sample, text, out int n) && MatchString(text[..n]);
    }

    public virtual bool MatchIp(IPAddress sample)
    {
        Span<byte> text = stackalloc byte[64];
        if (sample.IsIPv4MappedToIPv6) sample = sample.MapToIPv4();
        return sample.TryFormat(text, out int n) && MatchString(text[..n]);
    }

    public virtual bool MatchBool(bool sample) => MatchInt(sample ? 1 : 0);

    /// <summary>A request method: its known kind and its text.</summary>
    public virtual bool MatchMethod(RequestMethod method, ReadOnlySpan<byte> text) => MatchString(text);
}
