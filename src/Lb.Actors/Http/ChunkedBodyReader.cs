namespace Lb.Actors.Http;

/// <summary>
/// Walks a chunked body as it is forwarded, without buffering it: <see cref="Advance"/> tells how
/// many bytes of a received block belong to the current message (chunk sizes, extensions, data,
/// the last chunk and the trailers), so the caller forwards them as they are and knows where the
/// next message starts. Chunk data is skipped in O(1); only size lines and trailers are scanned.
/// Accepts bare LF line ends and spaces before ';' or the line end, as HAProxy does.
/// </summary>
public sealed class ChunkedBodyReader
{
    private enum State : byte
    {
        SizeStart, Size, SizeSpaces, Extension, SizeLf,
        Data, DataCr, DataLf,
        TrailerStart, TrailerLine, TrailerEndLf,
        Done, Error,
    }

    private readonly int _maxTrailerBytes;
    private State _state;
    private long _chunkRemaining;
    private long _size;
    private int _sizeDigits;
    private int _trailerBytes;

    /// <param name="maxTrailerBytes">Limit on the trailer section (HAProxy: the buffer size).</param>
    public ChunkedBodyReader(int maxTrailerBytes = 16384) { _maxTrailerBytes = maxTrailerBytes; }

    public bool IsComplete => _state == State.Done;

    public bool IsError => _state == State.Error;

    /// <summary>Why the body was rejected, or null.</summary>
    public string? ErrorReason { get; private set; }

    /// <summary>Payload bytes (chunk data) seen so far.</summary>
    public long DataBytes { get; private set; }

    /// <summary>Chunks seen so far, the last (empty) one included.</summary>
    public int Chunks { get; private set; }

    public void Reset()
    {
        _state = State.SizeStart;
        _chunkRemaining = _size = 0;
        _sizeDigits = _trailerBytes = 0;
        DataBytes = 0;
        Chunks = 0;
        ErrorReason = null;
    }

    /// <summary>Returns how many bytes of <paramref name="data"/> belong to the message. When it
    /// returns less than data.Length, either <see cref="IsComplete"/> (the rest is the next
    /// message) or <see cref="IsError"/> (the rest is garbage) is true.</summary>
    public int Advance(ReadOnlySpan<byte> data)
    {
        int p = 0;
        while (p < data.Length)
        {
            switch (_state)
            {
                case State.Data:
                {
                    int take = (int)Math.Min(_chunkRemaining, data.Length - p);
                    p += take;
                    _chunkRemaining -= take;
                    DataBytes += take;
                    if (_chunkRemaining == 0) _state = State.DataCr;
                    break;
                }
                case State.Done:
                case State.Error:
                    return p;
                case State.TrailerLine:
                {
                    int lf = data[p..].IndexOf((byte)'\n');
                    int take = lf < 0 ? data.Length - p : lf + 1;
                    if ((_trailerBytes += take) > _maxTrailerBytes) return Fail(p, "trailers too large");
                    p += take;
                    if (lf >= 0) _state = State.TrailerStart;
                    break;
                }
                default:
                    if (!Step(data[p])) return Fail(p, ErrorReason!);
                    p++;
                    break;
            }
        }
        return p;
    }

    private bool Step(byte b)
    {
        switch (_state)
        {
            case State.SizeStart:
            case State.Size:
            {
                int v = HexValue(b);
                if (v >= 0)
                {
                    if (++_sizeDigits > 15) return Bad("chunk size too large");
                    _size = _size * 16 + v;
                    _state = State.Size;
                    return true;
                }
                if (_state == State.SizeStart) return Bad("missing chunk size");
                return EndOfSize(b);
            }
            case State.SizeSpaces:
                return EndOfSize(b);
            case State.Extension:
                if (b == (byte)'\r') _state = State.SizeLf;
                else if (b == (byte)'\n') return StartChunk();
                return true;
            case State.SizeLf:
                return b == (byte)'\n' ? StartChunk() : Bad("CR without LF after chunk size");
            case State.DataCr:
                if (b == (byte)'\r') { _state = State.DataLf; return true; }
                if (b == (byte)'\n') { _state = State.SizeStart; return true; }
                return Bad("missing CRLF after chunk data");
            case State.DataLf:
                if (b != (byte)'\n') return Bad("missing LF after chunk data");
                _state = State.SizeStart;
                return true;
            case State.TrailerStart:
                if (b == (byte)'\n') { _state = State.Done; return true; }
                if (b == (byte)'\r') { _state = State.TrailerEndLf; return true; }
                if (!HttpSyntax.IsToken(b)) return Bad("invalid trailer line");
                _trailerBytes++;
                _state = State.TrailerLine;
                return true;
            case State.TrailerEndLf:
                if (b != (byte)'\n') return Bad("CR without LF after trailers");
                _state = State.Done;
                return true;
            default:
                return Bad("unexpected state");
        }
    }

    private bool EndOfSize(byte b)
    {
        if (HttpSyntax.IsSpace(b)) { _state = State.SizeSpaces; return true; }
        if (b == (byte)';') { _state = State.Extension; return true; }
        if (b == (byte)'\r') { _state = State.SizeLf; return true; }
        if (b == (byte)'\n') return StartChunk();
        return Bad("invalid chunk size");
    }

    private bool StartChunk()
    {
        Chunks++;
        _sizeDigits = 0;
        if (_size == 0) { _state = State.TrailerStart; return true; }
        _chunkRemaining = _size;
        _size = 0;
        _state = State.Data;
        return true;
    }

    private bool Bad(string reason)
    {
        ErrorReason = reason;
        return false;
    }

    private int Fail(int consumed, string reason)
    {
        ErrorReason = reason;
        _state = State.Error;
        return consumed;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
