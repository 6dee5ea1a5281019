using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>always_true, always_false, bool(x).</summary>
internal sealed class ConstantBoolFetch(bool value) : BoolFetch
{
    public override bool TryGet(in RuleContext ctx, out bool v)
    {
        v = value;
        return true;
    }
}

/// <summary>int(N).</summary>
internal sealed class ConstantIntFetch(long value) : IntFetch
{
    public override bool TryGet(in RuleContext ctx, out long v)
    {
        v = value;
        return true;
    }
}

/// <summary>str(text), env(NAME), hostname: a text fixed at load.</summary>
internal sealed class ConstantTextFetch(byte[] value) : Fetch
{
    public override SampleKind Kind => SampleKind.Str;

    public override bool Matches(in RuleContext ctx, Matcher matcher) => matcher.MatchString(value);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        output.Append(value);
        return true;
    }
}
