using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>
/// A converter after a fetch (",lower", ",map(FILE)"): rewrites the sample's text, which a
/// <see cref="ConvertedFetch"/> has written from <c>start</c> on in the builder. False when
/// there is no output (the sample is then missing).
/// </summary>
public abstract class SampleConverter
{
    public virtual SampleKind Output => SampleKind.Str;

    public abstract bool Apply(ref ValueBuilder output, int start);
}

/// <summary>",lower" and ",upper" (ASCII letters only, as haproxy).</summary>
internal sealed class CaseConverter(bool upper) : SampleConverter
{
    public override bool Apply(ref ValueBuilder output, int start)
    {
        var text = output.Since(start);
        for (int i = 0; i < text.Length; i++)
        {
            byte b = text[i];
            if (!upper) text[i] = AsciiCase.Lower(b);
            else if ((uint)(b - 'a') <= 'z' - 'a') text[i] = (byte)(b & 0xDF);
        }
        return true;
    }
}
