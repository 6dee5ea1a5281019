namespace Lb.Actors.Http;

/// <summary>The Connection header the H1 layer appends to a response it sends.</summary>
public enum ConnectionHeader
{
    /// <summary>No header: HTTP/1.1 keep-alive is the default.</summary>
    None,
    /// <summary>"connection: close".</summary>
    Close,
    /// <summary>"connection: keep-alive", for an HTTP/1.0 client kept alive.</summary>
    KeepAlive,
}
