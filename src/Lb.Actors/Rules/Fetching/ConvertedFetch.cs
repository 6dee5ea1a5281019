using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>
/// A fetch followed by converters ("hdr(host),lower,map(FILE)"). As in HAProxy, a converted
/// fetch yields one value (the one an expression would give), converted, then matched.
/// </summary>
internal sealed class ConvertedFetch(Fetch inner, IReadOnlyList<SampleConverter> converters) : Fetch
{
    private readonly SampleConverter[] _converters = converters.ToArray();

    public override SampleKind Kind => _converters[^1].Output;
    public override FetchScope Scope => inner.Scope;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        var b = new ValueBuilder(stackalloc byte[256]);
        try
        {
            if (!AppendTo(ctx, ref b)) return false;
            if (Kind == SampleKind.Int && IntRange.TryReadLeading(b.Written, out long v)) return matcher.MatchInt(v);
            return matcher.MatchString(b.Written);
        }
        finally
        {
            b.Dispose();
        }
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        int start = output.Length;
        if (!inner.AppendTo(ctx, ref output)) return false;
        foreach (var c in _converters)
        {
            if (!c.Apply(ref output, start))
            {
                output.Truncate(start);
                return false;
            }
        }
        return true;
    }
}
