using System.Text;
using System.Text.RegularExpressions;
using Lb.Actors.Rules.Format;

namespace Lb.Actors.Rules.Actions;

/// <summary>
/// The replace-* actions' regex step, as HAProxy's exp_replace: when the regex finds a match in
/// the subject, the result is the replacement text alone, where "\N" stands for capture group N
/// (0-9) and "\xHH" for a byte; text of the subject outside the match is not kept.
/// </summary>
internal static class RegexReplacement
{
    /// <summary>Writes the replacement for <paramref name="subject"/> into <paramref name="output"/>;
    /// false when the regex does not match (the subject stays as it is).</summary>
    public static bool TryReplace(Regex regex, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replacement, ref ValueBuilder output)
    {
        var text = Encoding.Latin1.GetString(subject);
        Match m;
        try { m = regex.Match(text); }
        catch (RegexMatchTimeoutException) { return false; }
        if (!m.Success) return false;
        for (int i = 0; i < replacement.Length; i++)
        {
            byte c = replacement[i];
            if (c != (byte)'\\' || i + 1 >= replacement.Length) { output.Append(c); continue; }
            byte n = replacement[++i];
            if ((uint)(n - '0') <= 9)
            {
                var g = m.Groups[n - '0'];
                if (g.Success) output.AppendLatin1(g.Value);
            }
            else if (n == (byte)'x' && i + 2 < replacement.Length && IsHex(replacement[i + 1]) && IsHex(replacement[i + 2]))
            {
                output.Append((byte)(Hex(replacement[i + 1]) << 4 | Hex(replacement[i + 2])));
                i += 2;
            }
            else output.Append(n);
        }
        return true;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>A rule's regex: compiled once, case-sensitive unless written with (?i).</summary>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
