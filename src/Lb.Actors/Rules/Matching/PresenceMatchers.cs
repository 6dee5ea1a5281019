namespace Lb.Actors.Rules.Matching;

/// <summary>'-m found': any sample at all matches, whatever its value.</summary>
internal sealed class FoundMatcher : Matcher
{
    public static readonly FoundMatcher Instance = new();
    public override bool MatchString(ReadOnlySpan<byte> sample) => true;
    public override bool MatchInt(long sample) => true;
    public override bool MatchIp(System.Net.IPAddress sample) => true;
    public override bool MatchBool(bool sample) => true;
    public override bool MatchMethod(Http.RequestMethod method, ReadOnlySpan<byte> text) => true;
}

/// <summary>'-m bool', and a boolean fetch without patterns: the sample is true (non-zero).</summary>
internal sealed class BoolMatcher : Matcher
{
    public static readonly BoolMatcher Instance = new();
    public override bool MatchBool(bool sample) => sample;
    public override bool MatchInt(long sample) => sample != 0;
    public override bool MatchString(ReadOnlySpan<byte> sample) => IntRange.TryReadLeading(sample, out long v) && v != 0;
}

/// <summary>Patterns that can never match (none given): HAProxy warns and the ACL stays false.</summary>
internal sealed class NeverMatcher : Matcher
{
    public static readonly NeverMatcher Instance = new();
    public override bool MatchString(ReadOnlySpan<byte> sample) => false;
    public override bool MatchInt(long sample) => false;
    public override bool MatchIp(System.Net.IPAddress sample) => false;
    public override bool MatchBool(bool sample) => false;
    public override bool MatchMethod(Http.RequestMethod method, ReadOnlySpan<byte> text) => false;
}
