namespace Lb.Config.Values;

/// <summary>
/// HAProxy time values: a decimal number with an optional unit us, ms, s, m, h or d; a bare
/// number is in milliseconds (or in the caller's default unit). Values are kept in milliseconds,
/// microseconds rounded up, and may not exceed 2147483647 ms (~24.8 days), as in HAProxy.
/// </summary>
public static class TimeParser
{
    public const long MaxMilliseconds = int.MaxValue;

    /// <summary>Returns null and the value, or the error in HAProxy's words.</summary>
    public static string? TryParse(string text, string what, out TimeSpan value, long defaultUnitMs = 1)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0]))
            return text.Length == 0
                ? $"'{what}' expects an integer value (in milliseconds)"
                : $"unexpected character '{text[0]}' in '{what}'";
        int i = 0;
        decimal number = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            number = number * 10 + (text[i] - '0');
            if (number > 1e15m) return Overflow(text, what);
            i++;
        }
        var unit = text[i..];
        decimal ms;
        switch (unit)
        {
            case "": ms = number * defaultUnitMs; break;
            case "us": ms = Math.Ceiling(number / 1000m); break;
            case "ms": ms = number; break;
            case "s": ms = number * 1000; break;
            case "m": ms = number * 60_000; break;
            case "h": ms = number * 3_600_000; break;
            case "d": ms = number * 86_400_000; break;
            default:
                int bad = 0;
                // Report the first character that cannot start or continue a known unit.
                if (unit.StartsWith("ms") || unit.StartsWith("us")) bad = 2;
                else if ("smhd".Contains(unit[0]) ) bad = 1;
                return $"unexpected character '{unit[bad]}' in '{what}'";
        }
        if (ms > MaxMilliseconds) return Overflow(text, what);
        value = TimeSpan.FromMilliseconds((double)ms);
        return null;
    }

    private static string Overflow(string text, string what) =>
        $"timer overflow in argument '{text}' to '{what}' (maximum value is 2147483647 ms or ~24.8 days)";
}
