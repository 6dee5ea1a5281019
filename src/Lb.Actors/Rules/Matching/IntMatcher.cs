using System.Net;
using System.Net.Sockets;

namespace Lb.Actors.Rules.Matching;

/// <summary>'-m int': the integer sample falls in one of the ranges.</summary>
internal sealed class IntMatcher(IReadOnlyList<IntRange> ranges) : Matcher
{
    private readonly IntRange[] _ranges = ranges.ToArray();

    public override bool MatchInt(long sample)
    {
        foreach (var r in _ranges)
            if (r.Contains(sample)) return true;
        return false;
    }

    public override bool MatchString(ReadOnlySpan<byte> sample) =>
        IntRange.TryReadLeading(sample, out long v) && MatchInt(v);

    public override bool MatchIp(IPAddress sample)
    {
        if (sample.IsIPv4MappedToIPv6) sample = sample.MapToIPv4();
        if (sample.AddressFamily != AddressFamily.InterNetwork) return false;
        Span<byte> b = stackalloc byte[4];
        sample.TryWriteBytes(b, out _);
        return MatchInt((long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b));
    }
}
