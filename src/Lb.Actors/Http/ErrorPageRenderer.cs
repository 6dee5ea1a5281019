using System.Text;

namespace Lb.Actors.Http;

/// <summary>
/// Turns a raw error message (built-in or errorfile) into the bytes HAProxy 2.6 sends once a
/// stream exists (deny, 503, 504, 502...): the message goes through HTX and the H1 layer, so the
/// status line stays, header names are lower-cased, values trimmed, Connection headers dropped and
/// then one "connection" header appended as the H1 layer decides (close also when the message
/// itself said "Connection: close"); the body follows unchanged.
/// </summary>
internal static class ErrorPageRenderer
{
    /// <summary>Parses a full response; null when the bytes do not start with a valid head.</summary>
    public static ResponseHead? Parse(ReadOnlySpan<byte> raw, out int bodyStart)
    {
        bodyStart = 0;
        var parser = HttpHeadParser.ForResponses(new HttpLimits { BufferSize = Math.Max(raw.Length, 16384) });
        var r = parser.Feed(raw);
        if (!r.IsComplete) return null;
        bodyStart = r.Consumed;
        return parser.TakeResponse();
    }

    public static byte[]? Render(ReadOnlySpan<byte> raw, ConnectionHeader connection)
    {
        using var head = Parse(raw, out int bodyStart);
        if (head == null) return null;
        var body = raw[bodyStart..];
        bool forcedClose = (ConnectionSemantics.ConnectionTokens(head) & ConnectionOptions.Close) != 0;
        var sb = new MemoryStream(raw.Length + 32);
        int sl = head.RawHead.IndexOf((byte)'\n');
        var startLine = head.RawHead[..sl];
        if (startLine.Length > 0 && startLine[^1] == (byte)'\r') startLine = startLine[..^1];
        sb.Write(startLine);
        sb.Write("\r\n"u8);
        foreach (var h in head.Headers)
        {
            if (Ascii.EqualsIgnoreCase(h.Name, "connection"u8)) continue;
            var lower = new byte[h.Name.Length];   // startup only
            Ascii.ToLower(h.Name, lower, out _);
            sb.Write(lower);
            sb.Write(": "u8);
            sb.Write(h.Value);
            sb.Write("\r\n"u8);
        }
        if (forcedClose || connection == ConnectionHeader.Close)
        {
            if (head.IsHttp11) sb.Write("connection: close\r\n"u8);
        }
        else if (connection == ConnectionHeader.KeepAlive && (head.IsHttp11 || head.ContentLength != null))
            sb.Write("connection: keep-alive\r\n"u8);
        sb.Write("\r\n"u8);
        sb.Write(body);
        return sb.ToArray();
    }

    public static byte[] Encode(string text) => Encoding.Latin1.GetBytes(text);
}
