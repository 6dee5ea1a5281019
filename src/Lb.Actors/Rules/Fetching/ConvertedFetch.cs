using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>The converters Lb applies to a fetch's text (",lower", ",upper").</summary>
public enum Converter { Lower, Upper }

/// <summary>
/// A fetch followed by converters ("hdr(host),lower"). As in HAProxy, a converted fetch yields
/// one value (the one an expression would give), converted, then matched.
/// </summary>
internal sealed class ConvertedFetch(Fetch inner, IReadOnlyList<Converter> converters) : Fetch
{
    private readonly Converter[] _converters = converters.ToArray();

    public override SampleKind Kind => SampleKind.Str;
    public override FetchScope Scope => inner.Scope;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        var b = new ValueBuilder(stackalloc byte[256]);
        try
        {
            return AppendTo(ctx, ref b) && matcher.MatchString(b.Written);
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
        var text = output.Since(start);
        foreach (var c in _converters)
        {
            for (int i = 0; i < text.Length; i++)
            {
                byte b = text[i];
                if (c == Converter.Lower) text[i] = AsciiCase.Lower(b);
                else if ((uint)(b - 'a') <= 'z' - 'a') text[i] = (byte)(b & 0xDF);
            }
        }
        return true;
    }
}
