using System.Text;

namespace Lb.Actors.Http;

[Flags]
public enum ConnectionOptions
{
    None = 0,
    Close = 1,
    KeepAlive = 2,
    Upgrade = 4,
}

/// <summary>Keep-alive, Expect: 100-continue and Upgrade decisions from the heads.</summary>
public static class ConnectionSemantics
{
    /// <summary>Tokens of every Connection header (case-insensitive).</summary>
    public static ConnectionOptions ConnectionTokens(HttpHead head)
    {
        var o = ConnectionOptions.None;
        for (int i = head.IndexOf("connection"); i >= 0; i = head.IndexOf("connection", i + 1))
        {
            var v = head.ValueAt(i);
            foreach (var r in new CommaList(v))
            {
                var t = v[r];
                if (Ascii.EqualsIgnoreCase(t, "close"u8)) o |= ConnectionOptions.Close;
                else if (Ascii.EqualsIgnoreCase(t, "keep-alive"u8)) o |= ConnectionOptions.KeepAlive;
                else if (Ascii.EqualsIgnoreCase(t, "upgrade"u8)) o |= ConnectionOptions.Upgrade;
            }
        }
        return o;
    }

    /// <summary>Does the message ask to keep the connection open? HTTP/1.1: unless "close";
    /// HTTP/1.0: only with "keep-alive".</summary>
    public static bool WantsKeepAlive(HttpHead head)
    {
        var o = ConnectionTokens(head);
        if ((o & ConnectionOptions.Close) != 0) return false;
        return head.IsHttp11 || (o & ConnectionOptions.KeepAlive) != 0;
    }

    /// <summary>Client side: can the client connection carry another request after this
    /// exchange? The client must want it and the response must be delimited (not until close).
    /// A server's "Connection: close" does not close the client side: HAProxy keeps it and uses
    /// another server connection for the next request.</summary>
    public static bool ClientKeepAlive(RequestHead request, BodyFraming responseFraming)
        => WantsKeepAlive(request) && responseFraming.Kind is not (BodyKind.UntilClose or BodyKind.Tunnel);

    /// <summary>Server side: can the server connection be reused for another request?</summary>
    public static bool ServerKeepAlive(RequestHead request, ResponseHead response, BodyFraming responseFraming)
        => WantsKeepAlive(response)
           && (ConnectionTokens(request) & ConnectionOptions.Close) == 0
           && responseFraming.Kind is not (BodyKind.UntilClose or BodyKind.Tunnel)
           && BodyFraming.ForRequest(request).Kind != BodyKind.UntilClose;

    /// <summary>The Connection header HAProxy's H1 layer writes on a response it forwards or
    /// generates: "close" to an HTTP/1.1 client when the connection will close, "keep-alive" to an
    /// HTTP/1.0 client kept alive, none otherwise.</summary>
    public static ConnectionHeader ResponseConnectionHeader(RequestHead request, bool keepAlive)
    {
        if (keepAlive) return request.IsHttp11 ? ConnectionHeader.None : ConnectionHeader.KeepAlive;
        return ConnectionHeader.Close;
    }

    /// <summary>"Expect: 100-continue" on an HTTP/1.1 request.</summary>
    public static bool ExpectsContinue(RequestHead request)
        => request.IsHttp11 && request.TryGetValue("expect", out var v) && Ascii.EqualsIgnoreCase(v, "100-continue"u8);

    /// <summary>Connection: upgrade together with an Upgrade header (HTTP/1.1 only).</summary>
    public static bool IsUpgradeRequest(RequestHead request)
        => request.IsHttp11 && request.Contains("upgrade") && (ConnectionTokens(request) & ConnectionOptions.Upgrade) != 0;

    /// <summary>An upgrade request whose Upgrade header names websocket.</summary>
    public static bool IsWebSocketRequest(RequestHead request)
        => IsUpgradeRequest(request) && request.TryGetValue("upgrade", out var v) && HttpSyntax.ContainsToken(v, "websocket"u8);

    /// <summary>The server accepted the upgrade: 101 Switching Protocols, bytes become a tunnel.</summary>
    public static bool IsUpgradeAccepted(ResponseHead response) => response.StatusCode == 101;
}
