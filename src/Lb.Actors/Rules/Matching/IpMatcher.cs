using System.Net;
using System.Text;

namespace Lb.Actors.Rules.Matching;

/// <summary>'-m ip': the address sample is in one of the networks. A text sample is parsed as an
/// address first (and does not match when it is not one).</summary>
internal sealed class IpMatcher(IReadOnlyList<IpNetwork> networks) : Matcher
{
    private readonly IpNetwork[] _networks = networks.ToArray();

    public override bool MatchIp(IPAddress sample)
    {
        foreach (var n in _networks)
            if (n.Contains(sample)) return true;
        return false;
    }

    public override bool MatchString(ReadOnlySpan<byte> sample)
    {
        if (sample.Length > 64) return false;
        Span<char> text = stackalloc char[64];
        int n = Encoding.Latin1.GetChars(sample, text);
        return IPAddress.TryParse(text[..n], out var ip) && MatchIp(ip);
    }

    public override bool MatchInt(long sample) =>
        sample is >= 0 and <= uint.MaxValue && MatchIp(new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)sample)));
}
