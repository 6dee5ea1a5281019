namespace Lb.Actors.Rules.Matching;

/// <summary>
/// Case folding as HAProxy's '-i' does it (C's tolower in the C locale): only A-Z change, every
/// other byte compares as is.
/// </summary>
internal static class AsciiCase
{
    public static byte Lower(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

    public static void Lower(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] = Lower(source[i]);
    }

    public static byte[] Lower(byte[] source)
    {
        var copy = new byte[source.Length];
        Lower(source, copy);
        return copy;
    }

    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> loweredB)
    {
        if (a.Length != loweredB.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (Lower(a[i]) != loweredB[i]) return false;
        return true;
    }
}
