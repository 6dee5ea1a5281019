using System.Buffers;

namespace Lb.Actors.Http;

/// <summary>
/// A parsed message head. The received head bytes live in one pooled buffer; the start line and
/// every header are offsets into it, so reading a header costs no allocation. Added headers are
/// appended to the same buffer. <see cref="Dispose"/> returns the buffer to the pool (optional:
/// an undisposed head is simply collected).
/// </summary>
public abstract partial class HttpHead : IDisposable
{
    private byte[] _buf;
    private int _used;          // bytes of _buf in use (received head + appended headers)
    private readonly int _headLength;   // bytes of the received head, terminator included
    private bool _canonical;    // the received bytes can be forwarded unchanged

    private protected HttpHead(byte[] buffer, int headLength, int versionMajor, int versionMinor)
    {
        _buf = buffer;
        _used = headLength;
        _headLength = headLength;
        VersionMajor = versionMajor;
        VersionMinor = versionMinor;
        _entries = new HeaderEntry[8];
        _canonical = true;
    }

    public int VersionMajor { get; }
    public int VersionMinor { get; }

    /// <summary>HTTP/1.1 semantics (HAProxy treats any version above 1.0 as 1.1).</summary>
    public bool IsHttp11 => VersionMajor > 1 || (VersionMajor == 1 && VersionMinor >= 1);

    /// <summary>Bytes of the received head (start line to the empty line included).</summary>
    public int HeadLength => _headLength;

    /// <summary>The received head bytes, as they came (folded lines already unfolded).</summary>
    public ReadOnlySpan<byte> RawHead => _buf.AsSpan(0, _headLength);

    /// <summary>True once a header was added, removed or replaced, or the received head was not
    /// in canonical form (bare LF, extra spaces, merged Content-Length...).</summary>
    public bool IsModified => !_canonical;

    /// <summary>Content-Length when the message has one (and no Transfer-Encoding).</summary>
    public long? ContentLength { get; internal set; }

    /// <summary>Transfer-Encoding ends with chunked.</summary>
    public bool IsChunked { get; internal set; }

    /// <summary>A Transfer-Encoding header is present (chunked or not).</summary>
    public bool HasTransferEncoding { get; internal set; }

    internal byte[] Buffer => _buf;

    internal void MarkModified() => _canonical = false;

    private protected ReadOnlySpan<byte> Slice(int start, int length) => _buf.AsSpan(start, length);

    /// <summary>Appends bytes after the used part of the buffer and returns their offset.</summary>
    private protected int Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _buf.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buf.Length * 2, _used + bytes.Length));
            _buf.AsSpan(0, _used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
        }
        int at = _used;
        bytes.CopyTo(_buf.AsSpan(at));
        _used += bytes.Length;
        return at;
    }

    // ---- serialization -------------------------------------------------------------------

    /// <summary>Writes the start line ("GET / HTTP/1.1" or "HTTP/1.1 200 OK") without CRLF.</summary>
    private protected abstract int WriteStartLine(Span<byte> dest);

    private protected abstract int StartLineLength { get; }

    private protected static int WriteVersion(Span<byte> dest, int major, int minor)
    {
        "HTTP/"u8.CopyTo(dest);
        dest[5] = (byte)('0' + major);
        dest[6] = (byte)'.';
        dest[7] = (byte)('0' + minor);
        return 8;
    }

    /// <summary>Bytes <see cref="CopyTo"/> writes.</summary>
    public int SerializedLength
    {
        get
        {
            if (_canonical) return _headLength;
            int n = StartLineLength + 2;
            for (int i = 0; i < _count; i++) n += _entries[i].NameLength + 2 + _entries[i].ValueLength + 2;
            return n + 2;
        }
    }

    /// <summary>Writes the head for forwarding: the received bytes unchanged when nothing was
    /// modified, else "start line CRLF (name: value CRLF)* CRLF". Returns the bytes written.</summary>
    public int CopyTo(Span<byte> dest)
    {
        if (_canonical)
        {
            _buf.AsSpan(0, _headLength).CopyTo(dest);
            return _headLength;
        }
        int n = SerializedLength;
        if (dest.Length < n) throw new ArgumentException("destination too small", nameof(dest));
        int p = WriteStartLine(dest);
        dest[p++] = (byte)'\r'; dest[p++] = (byte)'\n';
        for (int i = 0; i < _count; i++)
        {
            ref readonly var e = ref _entries[i];
            _buf.AsSpan(e.NameStart, e.NameLength).CopyTo(dest[p..]); p += e.NameLength;
            dest[p++] = (byte)':'; dest[p++] = (byte)' ';
            _buf.AsSpan(e.ValueStart, e.ValueLength).CopyTo(dest[p..]); p += e.ValueLength;
            dest[p++] = (byte)'\r'; dest[p++] = (byte)'\n';
        }
        dest[p++] = (byte)'\r'; dest[p++] = (byte)'\n';
        return p;
    }

    public void WriteTo(IBufferWriter<byte> writer)
    {
        int n = SerializedLength;
        var span = writer.GetSpan(n);
        writer.Advance(CopyTo(span));
    }

    public byte[] ToArray()
    {
        var a = new byte[SerializedLength];
        CopyTo(a);
        return a;
    }

    public override string ToString() => System.Text.Encoding.Latin1.GetString(ToArray());

    public void Dispose()
    {
        var b = _buf;
        _buf = [];
        _count = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
        GC.SuppressFinalize(this);
    }
}
