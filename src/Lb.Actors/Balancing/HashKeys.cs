using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Lb.Actors.Http;

namespace Lb.Actors.Balancing;

/// <summary>
/// The keys HAProxy's hash algorithms hash, cut out of the request the way backend.c does it
/// (spans into the request, nothing copied).
/// </summary>
public static class HashKeys
{
    /// <summary>'source': the address' 32-bit big-endian words XORed together (not its text).</summary>
    public static bool TrySourceHash(IPAddress? address, out uint hash)
    {
        hash = 0;
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int n) || (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
            return false;
        for (int i = 0; i + 4 <= n; i += 4) hash ^= BinaryPrimitives.ReadUInt32BigEndian(bytes[i..]);
        return true;
    }

    /// <summary>
    /// 'uri': the target up to '?' (all of it with 'whole'), cut at <paramref name="len"/> bytes
    /// and before the (depth+1)th '/' when those are set (0 = no limit).
    /// </summary>
    public static ReadOnlySpan<byte> Uri(ReadOnlySpan<byte> uri, bool whole, int len, int depth)
    {
        if (len > 0 && uri.Length > len) uri = uri[..len];
        int slashes = 0, end = 0;
        for (; end < uri.Length; end++)
        {
            byte c = uri[end];
            if (c == (byte)'/')
            {
                if (++slashes == depth + 1 && depth > 0) break;
            }
            else if (c == (byte)'?' && !whole) break;
        }
        return uri[..end];
    }

    /// <summary>'path-only': the path of the target (absolute-form loses scheme and authority);
    /// empty for "*" or when there is no path, as HAProxy's http_get_path.</summary>
    public static ReadOnlySpan<byte> Path(ReadOnlySpan<byte> uri)
    {
        if (uri.IsEmpty || uri[0] == (byte)'*') return default;
        int p = 0;
        if (IsAlpha(uri[0]))
        {
            p++;
            while (p < uri.Length && (IsAlpha(uri[p]) || HttpSyntax.IsDigit(uri[p]) || uri[p] is (byte)'+' or (byte)'-' or (byte)'.')) p++;
            if (p == uri.Length || uri[p++] != (byte)':') return default;
            if (p == uri.Length || uri[p++] != (byte)'/') return default;
            if (p == uri.Length || uri[p++] != (byte)'/') return default;
        }
        while (p < uri.Length && uri[p] != (byte)'/') p++;
        return p == uri.Length ? default : uri[p..];
    }

    /// <summary>'url_param NAME': the value of the first NAME= parameter of the query string.</summary>
    public static bool TryUrlParam(ReadOnlySpan<byte> uri, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        int q = uri.IndexOf((byte)'?');
        return q >= 0 && TryParam(uri[(q + 1)..], name, post: false, out value);
    }

    /// <summary>The POST form of 'url_param': the same search over the first body bytes; a value that
    /// does not start like a token means the body holds no parameters (HAProxy's test).</summary>
    public static bool TryBodyParam(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        TryParam(body, name, post: true, out value);

    private static bool TryParam(ReadOnlySpan<byte> ps, ReadOnlySpan<byte> name, bool post, out ReadOnlySpan<byte> value)
    {
        value = default;
        int plen = name.Length;
        while (ps.Length > plen)
        {
            if (ps[plen] == (byte)'=' && ps[..plen].SequenceEqual(name))
            {
                var v = ps[(plen + 1)..];
                int end = v.IndexOf((byte)'&');
                if (end < 0) end = v.Length;
                if (post && end > 0 && !HttpSyntax.IsToken(v[0]))
                {
                    // HAProxy only looks at the value's first byte here.
                    if (v[0] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') end = 0;
                    else return false;
                }
                value = v[..end];
                return true;
            }
            int amp = ps.IndexOf((byte)'&');
            if (amp < 0) return false;
            ps = ps[(amp + 1)..];
        }
        return false;
    }

    /// <summary>'hdr(NAME)': the first comma-separated element of the first NAME header, trimmed;
    /// false when missing or empty.</summary>
    public static bool TryHeader(RequestHead request, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        int i = request.IndexOf(name);
        if (i < 0) return false;
        var v = request.ValueAt(i);
        int comma = v.IndexOf((byte)',');
        if (comma >= 0) v = v[..comma];
        value = v.Trim(" \t"u8);
        return !value.IsEmpty;
    }

    /// <summary>'use_domain_only': the label before the last dot ("example" in "www.example.com");
    /// the whole value when there is no dot.</summary>
    public static ReadOnlySpan<byte> DomainOnly(ReadOnlySpan<byte> host)
    {
        int p = host.Length, end = host.Length;
        bool inDomain = false;
        for (int left = host.Length; left > 0; left--, p--)
        {
            if (inDomain)
            {
                if (host[p - 1] == (byte)'.') break;
            }
            else if (p < host.Length && host[p] == (byte)'.')
            {
                end = p;
                inDomain = true;
            }
        }
        return host[p..end];
    }

    /// <summary>
    /// 'rdp-cookie(NAME)': the value of "Cookie: NAME=VALUE\r\n" in an RDP connection request (after
    /// the 11-byte TPKT and X.224 headers). <paramref name="complete"/> is false while more bytes
    /// could still make it appear.
    /// </summary>
    public static bool TryRdpCookie(ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out bool complete)
    {
        value = default;
        complete = false;
        if (data.Length <= 11 + 7) return false;
        data = data[11..];
        complete = true;
        if (!Ascii.EqualsIgnoreCase(data[..7], "Cookie:"u8)) return false;
        data = data[7..];
        while (!data.IsEmpty && data[0] == (byte)' ') data = data[1..];
        if (!name.IsEmpty)
        {
            if (data.Length <= name.Length) { complete = false; return false; }
            if (data[name.Length] != (byte)'=' || !Ascii.EqualsIgnoreCase(data[..name.Length], name)) return false;
            data = data[(name.Length + 1)..];
        }
        else
        {
            int eq = data.IndexOfAny((byte)'=', (byte)'\r', (byte)'\n');
            if (eq < 0) { complete = false; return false; }
            if (data[eq] != (byte)'=') return false;
            data = data[(eq + 1)..];
        }
        int cr = data.IndexOf((byte)'\r');
        if (cr < 0 || cr + 1 >= data.Length) { complete = false; return false; }
        if (data[cr + 1] != (byte)'\n') return false;
        value = data[..cr];
        return true;
    }

    private static bool IsAlpha(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    internal static byte[] Bytes(string? s) => s is null ? [] : Encoding.Latin1.GetBytes(s);
}
