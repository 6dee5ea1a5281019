namespace Lb.Config.Values;

/// <summary>HAProxy sizes: a number with an optional k, m or g suffix (powers of 1024).</summary>
public static class SizeParser
{
    public static string? TryParse(string text, string what, out long value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            value = value * 10 + (text[i] - '0');
            if (value > (1L << 50)) return $"'{what}' : value '{text}' is too large";
            i++;
        }
        if (i == 0) return $"'{what}' expects a size value (a number with an optional k, m or g suffix), got '{text}'";
        if (i == text.Length) return null;
        long mult = char.ToLowerInvariant(text[i]) switch { 'k' => 1024L, 'm' => 1024L * 1024, 'g' => 1024L * 1024 * 1024, _ => 0 };
        if (mult == 0 || i + 1 != text.Length) return $"'{what}' : unexpected character '{text[i]}' in size value '{text}'";
        value *= mult;
        return null;
    }
}
