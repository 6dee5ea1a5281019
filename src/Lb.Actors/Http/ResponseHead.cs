using System.Text;

namespace Lb.Actors.Http;

/// <summary>A parsed response head: version, status code, reason and headers.</summary>
public sealed class ResponseHead : HttpHead
{
    private int _reasonStart, _reasonLength;

    internal ResponseHead(byte[] buffer, int headLength, int status, int reasonStart, int reasonLength, int major, int minor)
        : base(buffer, headLength, major, minor)
    {
        StatusCode = status;
        _reasonStart = reasonStart;
        _reasonLength = reasonLength;
    }

    public int StatusCode { get; private set; }

    /// <summary>Replaces the status code and reason (http-response set-status).</summary>
    public void SetStatus(int status, ReadOnlySpan<byte> reason)
    {
        StatusCode = status;
        _reasonStart = Append(reason);
        _reasonLength = reason.Length;
        MarkModified();
    }

    public ReadOnlySpan<byte> Reason => Slice(_reasonStart, _reasonLength);

    public string ReasonString() => Encoding.Latin1.GetString(Reason);

    private protected override int StartLineLength => 8 + 1 + 3 + (_reasonLength > 0 ? 1 + _reasonLength : 0);

    private protected override int WriteStartLine(Span<byte> dest)
    {
        int p = WriteVersion(dest, VersionMajor, VersionMinor);
        dest[p++] = (byte)' ';
        dest[p++] = (byte)('0' + StatusCode / 100);
        dest[p++] = (byte)('0' + StatusCode / 10 % 10);
        dest[p++] = (byte)('0' + StatusCode % 10);
        if (_reasonLength > 0)
        {
            dest[p++] = (byte)' ';
            Reason.CopyTo(dest[p..]);
            p += _reasonLength;
        }
        return p;
    }
}
