using System.Text;

namespace Lb.Actors.Http;

/// <summary>
/// Message-level checks HAProxy 2.6 makes once the head is parsed (answers checked on the real
/// haproxy): Content-Length must be digits only, several values (headers or a list) must agree
/// and are merged into one; Transfer-Encoding must end with a single "chunked" (else 400) and a
/// request with other codings before it ("gzip, chunked", or an empty element) is answered 422;
/// Transfer-Encoding wins over Content-Length, which is removed; an HTTP/1.0 GET, HEAD or DELETE
/// with a body (Transfer-Encoding or Content-Length above 0) is answered 413; several Host
/// headers, or an absolute-form target, must agree on the host (400).
/// </summary>
internal static class HeadValidator
{
    public static string? ValidateRequest(RequestHead req, out int status)
    {
        status = 400;
        var reason = ReadTransferEncoding(req, isRequest: true, ref status) ?? ReadContentLength(req);
        if (reason != null) return reason;
        if (!req.IsHttp11 && (req.HasTransferEncoding || req.ContentLength > 0))
        {
            if (req.Method is RequestMethod.Get or RequestMethod.Head or RequestMethod.Delete)
            {
                status = 413;
                return "body on an HTTP/1.0 GET, HEAD or DELETE";
            }
            if (req.Method == RequestMethod.Connect && req.HasTransferEncoding) return "Transfer-Encoding on an HTTP/1.0 CONNECT";
        }
        return CheckHost(req);
    }

    public static string? ValidateResponse(ResponseHead res)
    {
        int status = 502;
        return ReadTransferEncoding(res, isRequest: false, ref status) ?? ReadContentLength(res);
    }

    private static string? ReadTransferEncoding(HttpHead head, bool isRequest, ref int status)
    {
        int chunkedCount = 0;
        bool chunkedLast = false, others = false, any = false;
        for (int i = head.IndexOf("transfer-encoding"); i >= 0; i = head.IndexOf("transfer-encoding", i + 1))
        {
            any = true;
            var v = head.ValueAt(i);
            foreach (var r in new CommaList(v))
            {
                var token = v[r];
                if (Ascii.EqualsIgnoreCase(token, "chunked"u8)) { chunkedCount++; chunkedLast = true; }
                else { others = true; chunkedLast = false; }
            }
        }
        if (!any) return null;
        head.HasTransferEncoding = true;
        if (chunkedCount > 1) return "chunked applied twice";
        if (!chunkedLast)
        {
            if (isRequest) return "Transfer-Encoding does not end with chunked";
            head.IsChunked = false;     // response: body runs until the connection closes
        }
        else if (others && isRequest)
        {
            status = 422;
            return "unsupported transfer coding before chunked";
        }
        else head.IsChunked = true;
        // Transfer-Encoding wins: Content-Length is removed before forwarding.
        if (head.Remove("content-length") > 0) head.MarkModified();
        return null;
    }

    private static string? ReadContentLength(HttpHead head)
    {
        if (head.HasTransferEncoding) return null;
        long? value = null;
        int headers = 0;
        bool list = false;
        for (int i = head.IndexOf("content-length"); i >= 0; i = head.IndexOf("content-length", i + 1))
        {
            headers++;
            var v = head.ValueAt(i);
            int elements = 0;
            foreach (var r in new CommaList(v))
            {
                elements++;
                if (!TryParseLength(v[r], out long n)) return "invalid Content-Length";
                if (value != null && value != n) return "conflicting Content-Length values";
                value = n;
            }
            if (elements > 1) list = true;
        }
        if (value == null) return null;
        head.ContentLength = value;
        if (headers > 1 || list)
        {
            // HAProxy forwards a single, merged Content-Length.
            int first = head.IndexOf("content-length");
            Span<byte> digits = stackalloc byte[20];
            value.Value.TryFormat(digits, out int w, default, System.Globalization.CultureInfo.InvariantCulture);
            head.SetValueAt(first, digits[..w]);
            for (int i = head.IndexOf("content-length", first + 1); i >= 0; i = head.IndexOf("content-length", i)) head.RemoveAt(i);
        }
        return null;
    }

    internal static bool TryParseLength(ReadOnlySpan<byte> s, out long n)
    {
        n = 0;
        if (s.Length == 0) return false;
        foreach (var b in s)
        {
            if (!HttpSyntax.IsDigit(b)) return false;
            if (n > (long.MaxValue - 9) / 10) return false;
            n = n * 10 + (b - '0');
        }
        return true;
    }

    private static string? CheckHost(RequestHead req)
    {
        int first = req.IndexOf("host");
        ReadOnlySpan<byte> host = first >= 0 ? req.ValueAt(first) : default;
        if (first >= 0)
            for (int i = req.IndexOf("host", first + 1); i >= 0; i = req.IndexOf("host", i + 1))
                if (!Ascii.EqualsIgnoreCase(req.ValueAt(i), host)) return "several different Host headers";
        var authority = req.Authority;
        if (first >= 0 && authority.Length > 0 && !Ascii.EqualsIgnoreCase(authority, host))
            return "Host differs from the target's authority";
        return null;
    }
}
