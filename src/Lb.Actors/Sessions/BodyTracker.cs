using Lb.Actors.Http;

namespace Lb.Actors.Sessions;

/// <summary>Follows one message body as it is forwarded: how many bytes belong to it, when it ends.</summary>
internal sealed class BodyTracker
{
    private BodyKind _kind;
    private FixedLengthBodyReader _fixed;
    private readonly ChunkedBodyReader _chunked = new();
    private long _payload;

    public void Start(BodyFraming framing)
    {
        _kind = framing.Kind;
        _payload = 0;
        _fixed = new FixedLengthBodyReader(framing.Kind == BodyKind.ContentLength ? framing.Length : 0);
        _chunked.Reset();
    }

    /// <summary>No body at all, or the whole body has been seen.</summary>
    public bool IsComplete => _kind switch
    {
        BodyKind.None => true,
        BodyKind.ContentLength => _fixed.IsComplete,
        BodyKind.Chunked => _chunked.IsComplete,
        _ => false, // until close / tunnel: ends with the connection
    };

    /// <summary>The message has no body at all (nothing to drain or resend).</summary>
    public bool IsEmptyBody => _kind == BodyKind.None;

    public bool IsError => _kind == BodyKind.Chunked && _chunked.IsError;

    public bool IsChunked => _kind == BodyKind.Chunked;

    /// <summary>Body bytes seen so far, chunk framing excluded (for the log's %B / %U).</summary>
    public long Payload => _kind == BodyKind.Chunked ? _chunked.DataBytes : _payload;

    /// <summary>Bytes of <paramref name="data"/> that belong to the body.</summary>
    public int Advance(ReadOnlySpan<byte> data)
    {
        int n = _kind switch
        {
            BodyKind.None => 0,
            BodyKind.ContentLength => _fixed.Advance(data.Length),
            BodyKind.Chunked => _chunked.Advance(data),
            _ => data.Length,
        };
        _payload += n;
        return n;
    }
}
