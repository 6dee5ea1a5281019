using Lb.Actors.Http;
using Lb.Actors.Rules.Format;

namespace Lb.Actors.Rules.Actions;

/// <summary>
/// A response written from a rule's arguments ('return status 201 content-type text/plain string
/// hello hdr X-A v', 'deny status 400 string nope'): the hdr lines, content-length, content-type,
/// then the body. Without a variable part the three Connection variants are rendered once at
/// load; otherwise per request.
/// </summary>
internal sealed class ComposedReply : HttpReply
{
    private readonly int _status;
    private readonly string _reason;
    private readonly byte[]? _contentType;
    private readonly byte[]? _body;
    private readonly LogFormat? _bodyFormat;
    private readonly (byte[] Name, LogFormat Value)[] _headers;
    private readonly byte[][]? _rendered;

    public ComposedReply(int status, string? contentType, byte[]? body, LogFormat? bodyFormat, IReadOnlyList<(string Name, LogFormat Value)> headers)
    {
        _status = status;
        _reason = StatusReasons.Get(status);
        _contentType = contentType is null ? null : System.Text.Encoding.Latin1.GetBytes(contentType);
        _body = body;
        _bodyFormat = bodyFormat?.Constant is null ? bodyFormat : null;
        if (bodyFormat?.Constant is { } constantBody) _body = constantBody;
        _headers = headers.Select(h => (ResponseWriter.LowerName(h.Name), h.Value)).ToArray();
        if (_bodyFormat is null && _headers.All(h => h.Value.Constant != null))
            _rendered = [Build(default, ConnectionHeader.None), Build(default, ConnectionHeader.Close), Build(default, ConnectionHeader.KeepAlive)];
    }

    public override byte[] Render(in RuleContext ctx, ConnectionHeader connection, out bool close)
    {
        close = false;
        return _rendered is { } r ? r[(int)connection] : Build(ctx, connection);
    }

    private byte[] Build(in RuleContext ctx, ConnectionHeader connection)
    {
        var body = new ValueBuilder(stackalloc byte[256]);
        var b = new ValueBuilder(stackalloc byte[1024]);
        try
        {
            if (_bodyFormat != null) _bodyFormat.Write(ctx, ref body);
            else if (_body != null) body.Append(_body);
            ResponseWriter.StartLine(ref b, _status, _reason);
            Span<byte> valueBuffer = stackalloc byte[256];
            foreach (var (name, value) in _headers)
            {
                var v = new ValueBuilder(valueBuffer);
                try
                {
                    value.Write(ctx, ref v);
                    ResponseWriter.Header(ref b, name, v.Written);
                }
                finally { v.Dispose(); }
            }
            // 204 and 304 have no body, hence no content-length either (checked on haproxy).
            bool bodyless = _status is 204 or 304;
            Span<byte> length = stackalloc byte[20];
            System.Buffers.Text.Utf8Formatter.TryFormat(body.Length, length, out int n);
            if (!bodyless) ResponseWriter.Header(ref b, "content-length"u8, length[..n]);
            if (_contentType != null) ResponseWriter.Header(ref b, "content-type"u8, _contentType);
            ResponseWriter.End(ref b, connection);
            if (!bodyless) b.Append(body.Written);
            return b.ToArray();
        }
        finally
        {
            body.Dispose();
            b.Dispose();
        }
    }
}

/// <summary>'errorfile FILE' given to a return/deny: the file's response as HAProxy renders error files.</summary>
internal sealed class FileReply(byte[][] variants) : HttpReply
{
    private readonly bool _saysClose = ResponseWriter.SaysClose(variants[0]);

    public override byte[] Render(in RuleContext ctx, ConnectionHeader connection, out bool close)
    {
        close = _saysClose;
        return variants[(int)connection];
    }
}
