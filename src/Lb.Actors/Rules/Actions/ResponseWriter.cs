using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Rules.Format;

namespace Lb.Actors.Rules.Actions;

/// <summary>
/// Writes the responses rules generate the way HAProxy's H1 layer sends them: "HTTP/1.1 CODE
/// REASON", the headers in the order given with lower-case names, then the Connection header the
/// layer adds ("close", or "keep-alive" for an HTTP/1.0 client kept alive), the empty line and
/// the body.
/// </summary>
internal static class ResponseWriter
{
    public static void StartLine(ref ValueBuilder b, int status, string reason)
    {
        b.Append("HTTP/1.1 "u8);
        b.AppendInt(status);
        b.Append((byte)' ');
        b.AppendLatin1(reason);
        b.Append("\r\n"u8);
    }

    public static void Header(ref ValueBuilder b, ReadOnlySpan<byte> lowerName, scoped ReadOnlySpan<byte> value)
    {
        b.Append(lowerName);
        b.Append(": "u8);
        b.Append(value);
        b.Append("\r\n"u8);
    }

    public static void End(ref ValueBuilder b, ConnectionHeader connection)
    {
        if (connection == ConnectionHeader.Close) b.Append("connection: close\r\n"u8);
        else if (connection == ConnectionHeader.KeepAlive) b.Append("connection: keep-alive\r\n"u8);
        b.Append("\r\n"u8);
    }

    public static byte[] LowerName(string name) => Encoding.Latin1.GetBytes(name.ToLowerInvariant());

    /// <summary>Whether a rendered head already says "connection: close" (an errorfile that does).</summary>
    public static bool SaysClose(ReadOnlySpan<byte> response)
    {
        int end = response.IndexOf("\r\n\r\n"u8);
        var head = end < 0 ? response : response[..(end + 2)];
        return head.IndexOf("\r\nconnection: close\r\n"u8) >= 0;
    }
}
