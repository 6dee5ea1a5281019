using System.Buffers;

namespace Lb.Actors.Http;

/// <summary>
/// Incremental parser of one message head (request or response), fed with successive chunks.
/// Finding the end of the head is linear over all bytes fed (the scan state survives chunk
/// boundaries, nothing is rescanned); the head bytes are copied once into a pooled buffer that
/// the resulting <see cref="RequestHead"/>/<see cref="ResponseHead"/> then owns. Errors carry the
/// status HAProxy 2.6 answers: 400 (or 413/422, see <see cref="HeadValidator"/>) for a request,
/// 502 for a response. One parser serves a whole connection: after a head was taken (or after
/// <see cref="Reset"/>) it parses the next one.
/// </summary>
public sealed class HttpHeadParser
{
    private enum Scan : byte { Start, InLine, AfterLf, AfterLfCr }

    private readonly bool _request;
    private readonly HttpLimits _limits;
    private byte[]? _buf;
    private int _len;
    private Scan _scan;
    private HttpHead? _head;
    private int _errorStatus;

    public HttpHeadParser(bool parseRequests, HttpLimits? limits = null)
    {
        _request = parseRequests;
        _limits = limits ?? HttpLimits.Default;
    }

    public static HttpHeadParser ForRequests(HttpLimits? limits = null) => new(true, limits);

    public static HttpHeadParser ForResponses(HttpLimits? limits = null) => new(false, limits);

    public HttpLimits Limits => _limits;

    /// <summary>Why the last head was rejected (constant text, for logs), or null.</summary>
    public string? ErrorReason { get; private set; }

    /// <summary>Bytes of the current, incomplete head received so far.</summary>
    public int BufferedLength => _len;

    /// <summary>True when nothing of a next head was received yet (idle keep-alive connection).</summary>
    public bool IsIdle => _scan == Scan.Start && _head == null && _errorStatus == 0;

    /// <summary>Feeds the next chunk. On Complete, <see cref="HeadParseResult.Consumed"/> tells
    /// how many bytes of <paramref name="chunk"/> belonged to the head.</summary>
    public HeadParseResult Feed(ReadOnlySpan<byte> chunk)
    {
        if (_head != null || _errorStatus != 0) throw new InvalidOperationException("Take the parsed head (or Reset) before feeding more bytes.");
        int i = 0;
        if (_scan == Scan.Start)
        {
            // HAProxy skips empty lines before a start line.
            while (i < chunk.Length && (chunk[i] == (byte)'\r' || chunk[i] == (byte)'\n')) i++;
            if (i == chunk.Length) return new(HeadParseStatus.NeedMore, i);
            _scan = Scan.InLine;
        }
        int end = FindEnd(chunk, i);
        int stop = end < 0 ? chunk.Length : end;
        if (_len + (stop - i) > _limits.BufferSize) return Fail("head larger than tune.bufsize", stop);
        Append(chunk[i..stop]);
        if (end < 0) return new(HeadParseStatus.NeedMore, chunk.Length);

        var buf = _buf!;
        int len = _len;
        _buf = null;
        _len = 0;
        _scan = Scan.Start;
        var reason = _request ? HeadReader.ReadRequest(buf, len, _limits, out _head, out int status)
                              : HeadReader.ReadResponse(buf, len, _limits, out _head, out status);
        if (reason != null)
        {
            ArrayPool<byte>.Shared.Return(buf);
            _errorStatus = status;
            ErrorReason = reason;
            return new(HeadParseStatus.Error, stop, status);
        }
        return new(HeadParseStatus.Complete, stop);
    }

    /// <summary>Same over a sequence (e.g. a PipeReader's buffer); stops at the end of the head.</summary>
    public HeadParseResult Feed(in ReadOnlySequence<byte> chunk)
    {
        if (chunk.IsSingleSegment) return Feed(chunk.FirstSpan);
        int consumed = 0;
        foreach (var segment in chunk)
        {
            var r = Feed(segment.Span);
            consumed += r.Consumed;
            if (r.Status != HeadParseStatus.NeedMore) return r with { Consumed = consumed };
        }
        return new(HeadParseStatus.NeedMore, consumed);
    }

    public RequestHead TakeRequest() => (RequestHead)Take();

    public ResponseHead TakeResponse() => (ResponseHead)Take();

    public HttpHead Take()
    {
        var h = _head ?? throw new InvalidOperationException("No complete head.");
        _head = null;
        return h;
    }

    /// <summary>Forgets any partial head, error or untaken head; ready for a new message.</summary>
    public void Reset()
    {
        if (_buf != null) ArrayPool<byte>.Shared.Return(_buf);
        _buf = null;
        _len = 0;
        _scan = Scan.Start;
        _head?.Dispose();
        _head = null;
        _errorStatus = 0;
        ErrorReason = null;
    }

    private HeadParseResult Fail(string reason, int consumed)
    {
        _errorStatus = _request ? 400 : 502;
        ErrorReason = reason;
        return new(HeadParseStatus.Error, consumed, _errorStatus);
    }

    /// <summary>Index just after the empty line ending the head, or -1; keeps its state in _scan.</summary>
    private int FindEnd(ReadOnlySpan<byte> chunk, int p)
    {
        while (p < chunk.Length)
        {
            switch (_scan)
            {
                case Scan.InLine:
                    int j = chunk[p..].IndexOf((byte)'\n');
                    if (j < 0) return -1;
                    p += j + 1;
                    _scan = Scan.AfterLf;
                    break;
                case Scan.AfterLf:
                {
                    byte b = chunk[p++];
                    if (b == (byte)'\n') return p;
                    _scan = b == (byte)'\r' ? Scan.AfterLfCr : Scan.InLine;
                    break;
                }
                default:
                {
                    byte b = chunk[p++];
                    if (b == (byte)'\n') return p;
                    _scan = Scan.InLine;
                    break;
                }
            }
        }
        return -1;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_buf == null)
            _buf = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length + 256, 1024));
        else if (_len + bytes.Length > _buf.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buf.Length * 2, _len + bytes.Length + 256));
            _buf.AsSpan(0, _len).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
        }
        bytes.CopyTo(_buf.AsSpan(_len));
        _len += bytes.Length;
    }
}
