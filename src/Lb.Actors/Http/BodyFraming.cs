namespace Lb.Actors.Http;

public enum BodyKind
{
    /// <summary>No body: the message ends with its head.</summary>
    None,
    /// <summary>Exactly <see cref="BodyFraming.Length"/> bytes.</summary>
    ContentLength,
    /// <summary>Chunked transfer coding: walk it with a <see cref="ChunkedBodyReader"/>.</summary>
    Chunked,
    /// <summary>Response body delimited by the server closing the connection.</summary>
    UntilClose,
    /// <summary>After a 101 or a successful CONNECT: both directions become an opaque tunnel.</summary>
    Tunnel,
}

/// <summary>How a message body is delimited (RFC 9112 section 6.3, as HAProxy applies it).</summary>
public readonly record struct BodyFraming(BodyKind Kind, long Length = 0)
{
    public static readonly BodyFraming None = new(BodyKind.None);

    public bool HasBody => Kind switch
    {
        BodyKind.None => false,
        BodyKind.ContentLength => Length > 0,
        _ => true,
    };

    /// <summary>Request: chunked, else Content-Length, else no body (a GET without length has none).</summary>
    public static BodyFraming ForRequest(RequestHead request)
    {
        if (request.IsChunked) return new(BodyKind.Chunked);
        if (request.ContentLength is long n) return n == 0 ? None : new(BodyKind.ContentLength, n);
        return None;
    }

    /// <summary>Response to <paramref name="requestMethod"/>: none for HEAD, 1xx, 204 and 304;
    /// a tunnel after 101 or a 2xx to CONNECT; else chunked, Content-Length, or until close.</summary>
    public static BodyFraming ForResponse(ResponseHead response, RequestMethod requestMethod)
    {
        int s = response.StatusCode;
        if (s == 101 || (requestMethod == RequestMethod.Connect && s is >= 200 and < 300)) return new(BodyKind.Tunnel);
        if (requestMethod == RequestMethod.Head || s < 200 || s == 204 || s == 304) return None;
        if (response.IsChunked) return new(BodyKind.Chunked);
        if (response.HasTransferEncoding) return new(BodyKind.UntilClose);
        if (response.ContentLength is long n) return n == 0 ? None : new(BodyKind.ContentLength, n);
        return new(BodyKind.UntilClose);
    }
}
