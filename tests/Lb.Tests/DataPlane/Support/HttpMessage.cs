using System.Text;

namespace Lb.Tests.DataPlane;

/// <summary>A request or response as read off the wire, head kept raw.</summary>
public sealed class HttpMessage
{
    private HttpMessage(byte[] rawHead, string startLine, List<KeyValuePair<string, string>> headers)
    {
        RawHead = rawHead;
        StartLine = startLine;
        Headers = headers;
    }

    public byte[] RawHead { get; }
    public string StartLine { get; }
    public List<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Decoded body (chunked framing removed).</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>The body bytes exactly as received (with chunked framing).</summary>
    public byte[] RawBody { get; set; } = [];

    public List<KeyValuePair<string, string>> Trailers { get; } = new();
    public List<string> ChunkExtensions { get; } = new();

    /// <summary>The body ended early because the peer closed.</summary>
    public bool Truncated { get; set; }

    /// <summary>How the connection ended while reading this body, if it did.</summary>
    public CloseKind? ClosedBy { get; set; }

    // Response: "HTTP/1.1 200 OK"; request: "GET / HTTP/1.1".
    public string Version => StartLine.StartsWith("HTTP/", StringComparison.Ordinal) ? StartLine.Split(' ')[0] : StartLine.Split(' ')[^1];
    public int Status => int.Parse(StartLine.Split(' ')[1]);
    public string Method => StartLine.Split(' ')[0];
    public string Target => StartLine.Split(' ')[1];
    public string BodyText => Encoding.Latin1.GetString(Body);
    public string HeadText => Encoding.Latin1.GetString(RawHead);

    /// <summary>The first value of header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public bool IsChunked => HeaderValues("transfer-encoding").Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase));

    public long? ContentLength => Header("content-length") is { } v ? long.Parse(v.Trim()) : null;

    /// <summary>Connection header tokens include <paramref name="token"/>.</summary>
    public bool ConnectionHas(string token) =>
        HeaderValues("connection").SelectMany(v => v.Split(',')).Any(t => string.Equals(t.Trim(), token, StringComparison.OrdinalIgnoreCase));

    public static HttpMessage Parse(byte[] rawHead, bool isResponse)
    {
        var text = Encoding.Latin1.GetString(rawHead);
        var lines = text.Split("\r\n");
        var headers = new List<KeyValuePair<string, string>>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            int colon = lines[i].IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"bad header line '{lines[i]}'");
            headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }
        var m = new HttpMessage(rawHead, lines[0], headers);
        if (isResponse && !m.StartLine.StartsWith("HTTP/", StringComparison.Ordinal))
            throw new InvalidDataException($"not a response: '{RawConnection.Preview(rawHead)}'");
        return m;
    }

    public override string ToString() => HeadText.Replace("\r\n", " | ");
}
