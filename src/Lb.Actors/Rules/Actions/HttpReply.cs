using Lb.Actors.Http;

namespace Lb.Actors.Rules.Actions;

/// <summary>A response a rule sends instead of forwarding (deny, return, auth, tarpit...).</summary>
internal abstract class HttpReply
{
    /// <summary>The response for a connection that must carry <paramref name="connection"/>;
    /// <paramref name="close"/> is set when the response itself forces the connection to close.</summary>
    public abstract byte[] Render(in RuleContext ctx, ConnectionHeader connection, out bool close);
}

/// <summary>
/// An error page ('deny', 'tarpit', 'auth', 'http-response deny' and 'return ... default-errorfiles'):
/// the rule's proxy's errorfile for the status, else the frontend's, else HAProxy's built-in page,
/// with optional extra header lines ("www-authenticate" for auth) before the Connection header.
/// </summary>
internal sealed class ErrorPageReply(int status, ErrorPageSet own, byte[]? extraHeaders = null) : HttpReply
{
    public int Status { get; } = status;

    public override byte[] Render(in RuleContext ctx, ConnectionHeader connection, out bool close)
    {
        var pages = own.IsCustom(Status) || ctx.Frontend is null ? own : ctx.Frontend.ErrorPages;
        var bytes = pages.Get(Status, connection);
        close = connection != ConnectionHeader.Close && ResponseWriter.SaysClose(bytes);
        if (extraHeaders is null) return bytes;
        // The Connection header (if any) is the last header line: insert the extra lines before it.
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 2;
        int insertAt = end;
        if (connection != ConnectionHeader.None || close)
        {
            int lastLine = bytes.AsSpan(0, end - 2).LastIndexOf("\r\n"u8) + 2;
            if (bytes.AsSpan(lastLine).StartsWith("connection:"u8)) insertAt = lastLine;
        }
        return [.. bytes.AsSpan(0, insertAt), .. extraHeaders, .. bytes.AsSpan(insertAt)];
    }
}
