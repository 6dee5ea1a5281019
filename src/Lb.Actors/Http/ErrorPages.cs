using System.Collections.Frozen;

namespace Lb.Actors.Http;

/// <summary>
/// HAProxy 2.6's default error responses, pre-encoded (no allocation per error). Two forms, both
/// captured from the real haproxy (tests/Lb.Tests/Http/Data):
/// <list type="bullet">
/// <item><see cref="Raw"/>: the message exactly as in HAProxy's source ("Content-length",
/// "Cache-Control", "Connection: close" before "Content-Type"); the H1 layer sends it as-is for
/// errors before a stream exists: a malformed or too large request head (400, 413, 422) and
/// timeout http-request (408). errorfile does not apply to these.</item>
/// <item><see cref="Get"/>: what a stream sends (deny, 503 no server, 504 server timeout, 502 bad
/// response...): lower-cased header names and the Connection header the H1 layer adds at the end.</item>
/// </list>
/// An unknown status gives the 500 page, as HAProxy's http_get_status_idx does.
/// </summary>
public static class ErrorPages
{
    private static readonly FrozenDictionary<int, byte[]> RawPages =
        ErrorPageTexts.All.ToFrozenDictionary(e => e.Status, e => ErrorPageRenderer.Encode(e.Text));

    private static readonly FrozenDictionary<int, byte[][]> Rendered =
        RawPages.ToFrozenDictionary(e => e.Key, e => RenderAll(e.Value));

    /// <summary>Status codes with a built-in page.</summary>
    public static IReadOnlyCollection<int> Codes => RawPages.Keys;

    public static bool IsKnown(int status) => RawPages.ContainsKey(status);

    /// <summary>The status whose page HAProxy sends for <paramref name="status"/> (500 if unknown).</summary>
    public static int Normalize(int status) => RawPages.ContainsKey(status) ? status : 500;

    /// <summary>The source form, sent as-is for connection-level errors (parse errors, 408).</summary>
    public static byte[] Raw(int status) => RawPages[Normalize(status)];

    /// <summary>The stream form, with the Connection header the H1 layer appends.</summary>
    public static byte[] Get(int status, ConnectionHeader connection = ConnectionHeader.None)
        => Rendered[Normalize(status)][(int)connection];

    internal static byte[][] RenderAll(byte[] raw) =>
    [
        ErrorPageRenderer.Render(raw, ConnectionHeader.None)!,
        ErrorPageRenderer.Render(raw, ConnectionHeader.Close)!,
        ErrorPageRenderer.Render(raw, ConnectionHeader.KeepAlive)!,
    ];
}
