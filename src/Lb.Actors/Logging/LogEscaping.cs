namespace Lb.Actors.Logging;

/// <summary>
/// How haproxy keeps a log line on one line and parseable: bytes of a set are written '#'
/// followed by two upper-case hex digits. Captured headers escape control bytes, bytes from
/// 127 up and <c>" # { | }</c>; the request line escapes control bytes, bytes from 127 up and
/// <c>" #</c>. With %{+E}, <c>" \ ]</c> that remain get a backslash (RFC 5424 structured data).
/// </summary>
internal static class LogEscaping
{
    public static readonly bool[] Header = Map("\"#{|}");
    public static readonly bool[] Url = Map("\"#");

    private static bool[] Map(string extra)
    {
        var map = new bool[256];
        for (int b = 0; b < 256; b++) map[b] = b < 32 || b >= 127;
        foreach (var c in extra) map[c] = true;
        return map;
    }

    public static bool NeedsBackslash(byte b) => b is (byte)'"' or (byte)'\\' or (byte)']';

    public static void Encode(ref AsciiWriter w, ReadOnlySpan<byte> value, bool[] map, bool rfc5424)
    {
        foreach (var b in value)
        {
            if (map[b])
            {
                w.Byte((byte)'#');
                w.Hex(b, 2);
            }
            else
            {
                if (rfc5424 && NeedsBackslash(b)) w.Byte((byte)'\\');
                w.Byte(b);
            }
        }
    }
}
