using Lb.Actors.Http;

namespace Lb.Actors.Logging;

/// <summary>
/// haproxy counts %B and %U in its internal message representation (HTX), not in wire bytes:
/// per message 20 bytes of start-line overhead plus the three start-line fields, name+value of
/// every header except Connection (which its HTTP/1 layer consumes), 1 for the end of headers,
/// then the body payload (chunk framing excluded) and 1 for the end of a chunked body. Measured
/// against haproxy 2.6: "HTTP/1.1 200 OK" + Content-Length: 6 + 6 body bytes = 55.
/// </summary>
internal static class HtxSize
{
    private const int StartLineOverhead = 20;

    public static long Of(RequestHead r) =>
        StartLineOverhead + r.MethodBytes.Length + r.Target.Length + 8 + Headers(r) + 1;

    public static long Of(ResponseHead r) => StartLineOverhead + 8 + 3 + r.Reason.Length + Headers(r) + 1;

    /// <summary>End of a chunked body (haproxy's end-of-trailers block).</summary>
    public const int ChunkedEnd = 1;

    private static long Headers(HttpHead h)
    {
        long n = 0;
        for (int i = 0; i < h.HeaderCount; i++)
        {
            var name = h.NameAt(i);
            if (name.Length == 10 && System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8)) continue;
            n += name.Length + h.ValueAt(i).Length;
        }
        return n;
    }

    /// <summary>The size of a complete raw response (an error page): start line, headers, body.</summary>
    public static long OfRawResponse(ReadOnlySpan<byte> message)
    {
        int eol = message.IndexOf("\r\n"u8);
        if (eol < 0) return message.Length;
        long n = StartLineOverhead + eol - 2; // "HTTP/1.1 503 Service Unavailable" less its two spaces
        var rest = message[(eol + 2)..];
        while (true)
        {
            eol = rest.IndexOf("\r\n"u8);
            if (eol < 0) return n + rest.Length;
            if (eol == 0) return n + 1 + rest.Length - 2;
            var line = rest[..eol];
            int colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                var name = line[..colon];
                var value = line[(colon + 1)..].Trim((byte)' ');
                if (!System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8)) n += name.Length + value.Length;
            }
            rest = rest[(eol + 2)..];
        }
    }
}
