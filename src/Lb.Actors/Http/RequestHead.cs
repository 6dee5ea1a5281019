using System.Text;

namespace Lb.Actors.Http;

/// <summary>A parsed request head: method, target (origin-form, absolute-form, authority-form
/// or "*"), version and headers.</summary>
public sealed class RequestHead : HttpHead
{
    private int _methodStart, _methodLength;
    private int _targetStart, _targetLength;

    internal RequestHead(byte[] buffer, int headLength, int methodStart, int methodLength,
        int targetStart, int targetLength, int major, int minor)
        : base(buffer, headLength, major, minor)
    {
        _methodStart = methodStart; _methodLength = methodLength;
        _targetStart = targetStart; _targetLength = targetLength;
        Method = RequestMethods.Classify(Slice(methodStart, methodLength));
    }

    /// <summary>The well-known method, or <see cref="RequestMethod.Other"/>.</summary>
    public RequestMethod Method { get; private set; }

    public ReadOnlySpan<byte> MethodBytes => Slice(_methodStart, _methodLength);

    public ReadOnlySpan<byte> Target => Slice(_targetStart, _targetLength);

    public string MethodString() => Encoding.Latin1.GetString(MethodBytes);

    public string TargetString() => Encoding.Latin1.GetString(Target);

    /// <summary>The path part of the target (with the query): "/a?b" for "http://h/a?b", "*" for "*".</summary>
    public ReadOnlySpan<byte> PathAndQuery
    {
        get
        {
            var t = Target;
            if (t.Length == 0 || t[0] == (byte)'/' || t[0] == (byte)'*') return t;
            int scheme = t.IndexOf("://"u8);
            if (scheme < 0) return t;   // authority-form (CONNECT)
            var rest = t[(scheme + 3)..];
            int slash = rest.IndexOfAny((byte)'/', (byte)'?');
            return slash < 0 ? "/"u8 : rest[slash..];
        }
    }

    /// <summary>Authority of an absolute-form target ("h:80" in "http://h:80/"), else empty.</summary>
    public ReadOnlySpan<byte> Authority
    {
        get
        {
            var t = Target;
            int scheme = t.IndexOf("://"u8);
            if (scheme <= 0 || t[0] == (byte)'/') return default;
            var rest = t[(scheme + 3)..];
            int end = rest.IndexOfAny((byte)'/', (byte)'?');
            return end < 0 ? rest : rest[..end];
        }
    }

    /// <summary>Replaces the target (e.g. a rewritten path).</summary>
    public void SetTarget(ReadOnlySpan<byte> target)
    {
        _targetStart = Append(target);
        _targetLength = target.Length;
        MarkModified();
    }

    /// <summary>Replaces the method (http-request set-method).</summary>
    public void SetMethod(ReadOnlySpan<byte> method)
    {
        _methodStart = Append(method);
        _methodLength = method.Length;
        Method = RequestMethods.Classify(method);
        MarkModified();
    }

    private protected override int StartLineLength => _methodLength + 1 + _targetLength + 1 + 8;

    private protected override int WriteStartLine(Span<byte> dest)
    {
        int p = 0;
        MethodBytes.CopyTo(dest); p += _methodLength;
        dest[p++] = (byte)' ';
        Target.CopyTo(dest[p..]); p += _targetLength;
        dest[p++] = (byte)' ';
        // HAProxy forwards versions above 1.1 as HTTP/1.1, keeps 1.0 and 0.9 as they are.
        bool above = VersionMajor > 1 || (VersionMajor == 1 && VersionMinor > 1);
        p += WriteVersion(dest[p..], above ? 1 : VersionMajor, above ? 1 : VersionMinor);
        return p;
    }
}
