namespace Lb.Actors.Http;

/// <summary>
/// Parses a complete head held in a buffer (start line, header lines, empty line) into a
/// <see cref="RequestHead"/>/<see cref="ResponseHead"/>, with HAProxy 2.6's leniencies: bare LF
/// line ends, several spaces or tabs between request-line tokens, obs-fold (the CR LF of a folded
/// line become spaces, as HAProxy forwards them), any byte but CR/LF in values. Returns null on
/// success, else the reason and the status to answer.
/// </summary>
internal static class HeadReader
{
    public static string? ReadRequest(byte[] buf, int len, HttpLimits limits, out HttpHead? head, out int status)
    {
        head = null;
        status = 400;
        int p = 0;
        while (p < len && HttpSyntax.IsToken(buf[p])) p++;
        int methodLength = p;
        if (methodLength == 0) return "invalid method";
        bool canonical = true;
        if (!SkipSpaces(buf, ref p, len, ref canonical)) return "invalid request line";
        int targetStart = p;
        while (p < len && HttpSyntax.IsUriChar(buf[p])) p++;
        int targetLength = p - targetStart;
        if (targetLength == 0) return "invalid request target";
        if (!SkipSpaces(buf, ref p, len, ref canonical)) return "invalid request line";
        if (!ReadVersion(buf, ref p, len, out int major, out int minor)) return "invalid HTTP version";
        if (!EndOfLine(buf, ref p, len, ref canonical)) return "invalid request line";
        if (major > 1 || (major == 1 && minor > 1)) canonical = false;   // forwarded as HTTP/1.1

        var req = new RequestHead(buf, len, 0, methodLength, targetStart, targetLength, major, minor);
        int decoded = methodLength + targetLength + 8;
        var reason = ReadHeaders(req, buf, p, len, limits, decoded, ref canonical);
        reason ??= HeadValidator.ValidateRequest(req, out status);
        if (reason != null) { status = status == 0 ? 400 : status; return Abandon(req, reason); }
        if (!canonical) req.MarkModified();
        head = req;
        return null;
    }

    public static string? ReadResponse(byte[] buf, int len, HttpLimits limits, out HttpHead? head, out int status)
    {
        head = null;
        status = 502;
        int p = 0;
        bool canonical = true;
        if (!ReadVersion(buf, ref p, len, out int major, out int minor)) return "invalid HTTP version";
        if (!SkipSpaces(buf, ref p, len, ref canonical)) return "invalid status line";
        if (p + 3 > len || !HttpSyntax.IsDigit(buf[p]) || !HttpSyntax.IsDigit(buf[p + 1]) || !HttpSyntax.IsDigit(buf[p + 2]))
            return "invalid status code";
        int code = (buf[p] - '0') * 100 + (buf[p + 1] - '0') * 10 + (buf[p + 2] - '0');
        p += 3;
        int reasonStart = p, reasonLength = 0;
        if (p < len && HttpSyntax.IsSpace(buf[p]))
        {
            if (buf[p] != (byte)' ') canonical = false;
            p++;
            reasonStart = p;
            int lf = buf.AsSpan(p, len - p).IndexOf((byte)'\n');
            if (lf < 0) return "invalid status line";
            int end = p + lf;
            if (end > p && buf[end - 1] == (byte)'\r') end--;
            if (buf.AsSpan(p, end - p).Contains((byte)'\r')) return "invalid status line";
            reasonLength = end - p;
            p = end;
        }
        if (!EndOfLine(buf, ref p, len, ref canonical)) return "invalid status line";
        if (code < 100) return "invalid status code";

        var res = new ResponseHead(buf, len, code, reasonStart, reasonLength, major, minor);
        int decoded = 8 + 3 + reasonLength;
        var reason = ReadHeaders(res, buf, p, len, limits, decoded, ref canonical);
        reason ??= HeadValidator.ValidateResponse(res);
        if (reason != null) return Abandon(res, reason);
        if (!canonical) res.MarkModified();
        head = res;
        return null;
    }

    // The caller returns the buffer to the pool; the abandoned head is never disposed.
    private static string Abandon(HttpHead head, string reason) => reason;

    private static string? ReadHeaders(HttpHead head, byte[] buf, int p, int len, HttpLimits limits, int decoded, ref bool canonical)
    {
        int count = 0;
        while (true)
        {
            if (p >= len) return "truncated head";
            if (buf[p] == (byte)'\n') { canonical = false; break; }
            if (buf[p] == (byte)'\r')
            {
                if (p + 1 < len && buf[p + 1] == (byte)'\n') break;
                return "invalid header line";
            }
            int nameStart = p;
            while (p < len && HttpSyntax.IsToken(buf[p])) p++;
            int nameLength = p - nameStart;
            if (nameLength == 0 || p >= len || buf[p] != (byte)':') return "invalid header name";
            p++;
            while (p < len && HttpSyntax.IsSpace(buf[p])) p++;
            int valueStart = p;
            int valueEnd;
            while (true)
            {
                int lf = buf.AsSpan(p, len - p).IndexOf((byte)'\n');
                if (lf < 0) return "truncated head";
                int eol = p + lf;
                valueEnd = eol > p && buf[eol - 1] == (byte)'\r' ? eol - 1 : eol;
                if (valueEnd == eol) canonical = false;
                if (buf.AsSpan(p, valueEnd - p).Contains((byte)'\r')) return "CR in header value";
                p = eol + 1;
                if (p < len && HttpSyntax.IsSpace(buf[p]))
                {
                    // obs-fold: the line break becomes spaces, as HAProxy forwards it.
                    for (int k = valueEnd; k <= eol; k++) buf[k] = (byte)' ';
                    continue;
                }
                break;
            }
            while (valueEnd > valueStart && HttpSyntax.IsSpace(buf[valueEnd - 1])) valueEnd--;
            head.AddEntry(nameStart, nameLength, valueStart, valueEnd - valueStart);
            decoded += nameLength + (valueEnd - valueStart) + 8;
            if (++count >= limits.MaxHeaders) return "too many headers (tune.http.maxhdr)";
        }
        if (decoded > limits.MaxDecodedSize) return "head larger than tune.bufsize - tune.maxrewrite";
        return null;
    }

    private static bool SkipSpaces(byte[] buf, ref int p, int len, ref bool canonical)
    {
        int start = p;
        while (p < len && HttpSyntax.IsSpace(buf[p])) p++;
        if (p == start) return false;
        if (p - start > 1 || buf[start] != (byte)' ') canonical = false;
        return true;
    }

    private static bool ReadVersion(byte[] buf, ref int p, int len, out int major, out int minor)
    {
        major = minor = 0;
        if (p + 8 > len || !buf.AsSpan(p, 5).SequenceEqual("HTTP/"u8)) return false;
        byte a = buf[p + 5], dot = buf[p + 6], b = buf[p + 7];
        if (!HttpSyntax.IsDigit(a) || dot != (byte)'.' || !HttpSyntax.IsDigit(b)) return false;
        major = a - '0';
        minor = b - '0';
        p += 8;
        return true;
    }

    private static bool EndOfLine(byte[] buf, ref int p, int len, ref bool canonical)
    {
        if (p < len && buf[p] == (byte)'\n') { canonical = false; p++; return true; }
        if (p + 1 < len && buf[p] == (byte)'\r' && buf[p + 1] == (byte)'\n') { p += 2; return true; }
        return false;
    }
}
