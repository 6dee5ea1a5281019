using System.Buffers.Text;

namespace Lb.Actors.Logging;

/// <summary>
/// Appends ASCII text and numbers to a byte span, stopping quietly at its end (a log line is
/// truncated, never an error). No allocation: numbers are formatted in place.
/// </summary>
internal ref struct AsciiWriter
{
    private readonly Span<byte> _dest;
    public int Position;

    public AsciiWriter(Span<byte> dest) { _dest = dest; Position = 0; }

    public readonly int Capacity => _dest.Length;
    public readonly bool Full => Position >= _dest.Length;
    public readonly Span<byte> Written => _dest[..Position];

    /// <summary>The last byte written, or 0.</summary>
    public readonly byte Last => Position > 0 ? _dest[Position - 1] : (byte)0;

    public void Byte(byte b)
    {
        if (Position < _dest.Length) _dest[Position++] = b;
    }

    public void Char(char c) => Byte((byte)c);

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        int n = Math.Min(bytes.Length, _dest.Length - Position);
        bytes[..n].CopyTo(_dest[Position..]);
        Position += n;
    }

    /// <summary>Latin-1 text (names, addresses), byte per char.</summary>
    public void Text(string s)
    {
        int n = Math.Min(s.Length, _dest.Length - Position);
        for (int i = 0; i < n; i++) _dest[Position + i] = (byte)s[i];
        Position += n;
    }

    public void Int(long value)
    {
        if (Utf8Formatter.TryFormat(value, _dest[Position..], out int n)) Position += n;
        else Position = _dest.Length; // no room for the whole number: the line ends here
    }

    /// <summary>A non-negative number with leading zeros to <paramref name="width"/> digits.</summary>
    public void Padded(long value, int width)
    {
        Span<byte> digits = stackalloc byte[20];
        int len = 0;
        do { digits[len++] = (byte)('0' + value % 10); value /= 10; } while (value > 0);
        for (int i = len; i < width; i++) Byte((byte)'0');
        while (len > 0) Byte(digits[--len]);
    }

    /// <summary>Upper-case hexadecimal with at least <paramref name="width"/> digits (haproxy's %{+X}).</summary>
    public void Hex(ulong value, int width)
    {
        Span<byte> digits = stackalloc byte[16];
        int len = 0;
        do { digits[len++] = (byte)"0123456789ABCDEF"[(int)(value & 15)]; value >>= 4; } while (value > 0);
        for (int i = len; i < width; i++) Byte((byte)'0');
        while (len > 0) Byte(digits[--len]);
    }
}
