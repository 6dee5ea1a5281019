using System.Buffers.Binary;
using System.Net;
using Lb.Config.Model;

namespace Lb.Actors.Persistence;

/// <summary>
/// Turns a fetched sample (an address or text) into the key bytes of a table's type, with
/// HAProxy's casts: an IPv4 address in an ipv6 table is IPv4-mapped, an IPv6 one fits an ip table
/// only when it is mapped; integers are 32 bits (an address' value, or the leading digits of a
/// text); strings keep at most 'len' bytes; binary keys are cut or zero-padded to 'len' bytes.
/// Keys are written into a caller's buffer of at least the table's key size: nothing allocates.
/// </summary>
public static class StickKeys
{
    /// <summary>The key length written into <paramref name="dest"/>, or -1 when the sample does not fit the type.</summary>
    public static int FromAddress(IPAddress address, StickTableDefinition table, Span<byte> dest)
    {
        Span<byte> raw = stackalloc byte[16];
        if (!address.TryWriteBytes(raw, out int n)) return -1;
        raw = raw[..n];
        switch (table.Type)
        {
            case StickTableType.Ip:
                if (n == 4) { raw.CopyTo(dest); return 4; }
                if (!IsV4Mapped(raw)) return -1;
                raw[12..].CopyTo(dest);
                return 4;
            case StickTableType.Ipv6:
                if (n == 16) { raw.CopyTo(dest); return 16; }
                dest[..10].Clear();
                dest[10] = dest[11] = 0xff;
                raw.CopyTo(dest[12..]);
                return 16;
            case StickTableType.Integer:
                if (n != 4) return -1; // HAProxy has no cast from ipv6 to integer
                raw.CopyTo(dest);
                return 4;
            case StickTableType.String:
                Span<byte> text = stackalloc byte[64];
                if (!address.TryFormat(text, out int written)) return -1;
                int len = Math.Min(written, table.KeySize);
                text[..len].CopyTo(dest);
                return len;
            default:
                return Binary(raw, table.KeySize, dest);
        }
    }

    /// <summary>The key length written into <paramref name="dest"/>, or -1 when the text does not fit the type.</summary>
    public static int FromText(ReadOnlySpan<byte> text, StickTableDefinition table, Span<byte> dest)
    {
        switch (table.Type)
        {
            case StickTableType.String:
                int len = Math.Min(text.Length, table.KeySize);
                text[..len].CopyTo(dest);
                return len;
            case StickTableType.Binary:
                return Binary(text, table.KeySize, dest);
            case StickTableType.Integer:
                if (text.IsEmpty) return -1;
                BinaryPrimitives.WriteUInt32BigEndian(dest, (uint)ReadInt64(text));
                return 4;
            default:
                return IPAddress.TryParse(text, out var ip) ? FromAddress(ip, table, dest) : -1;
        }
    }

    /// <summary>The key as 'show table' prints it: address, number or text (binary in hex).</summary>
    public static string Format(ReadOnlySpan<byte> key, StickTableDefinition table) => table.Type switch
    {
        StickTableType.Ip or StickTableType.Ipv6 => new IPAddress(key).ToString(),
        StickTableType.Integer => BinaryPrimitives.ReadUInt32BigEndian(key).ToString(System.Globalization.CultureInfo.InvariantCulture),
        StickTableType.String => System.Text.Encoding.Latin1.GetString(key),
        _ => Convert.ToHexString(key),
    };

    private static int Binary(ReadOnlySpan<byte> bytes, int size, Span<byte> dest)
    {
        int n = Math.Min(bytes.Length, size);
        bytes[..n].CopyTo(dest);
        dest[n..size].Clear();
        return size;
    }

    private static bool IsV4Mapped(ReadOnlySpan<byte> v6) =>
        v6[..10].IndexOfAnyExcept((byte)0) < 0 && v6[10] == 0xff && v6[11] == 0xff;

    /// <summary>HAProxy's read_int64: an optional sign and the digits that follow, up to the first other byte.</summary>
    private static long ReadInt64(ReadOnlySpan<byte> s)
    {
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] is (byte)'-' or (byte)'+') negative = s[i++] == '-';
        long v = 0;
        for (; i < s.Length && (uint)(s[i] - '0') <= 9; i++) v = unchecked(v * 10 + (s[i] - '0'));
        return negative ? -v : v;
    }
}
