using Lb.Actors.Http;

namespace Lb.Actors.Persistence;

/// <summary>
/// HAProxy 2.6's sample fetches over an HTTP head, on spans, allocating nothing: cookies
/// (req.cook / res.cook), header values (hdr / fhdr with an occurrence), query parameters
/// (url_param with its delimiter) and the path. Each returns what HAProxy would: the last
/// occurrence unless told otherwise, values trimmed the same way.
/// </summary>
internal static class HttpSamples
{
    private const int MaxHeaderHistory = 10; // HAProxy's MAX_HDR_HISTORY: deepest negative occurrence

    /// <summary>
    /// The last NAME=value among the request's Cookie headers, or the last Set-Cookie of the
    /// response whose first attribute is NAME. An empty name takes the first cookie.
    /// </summary>
    public static bool TryCookie(HttpHead head, bool setCookie, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        bool found = false;
        var header = setCookie ? "set-cookie" : "cookie";
        for (int h = head.IndexOf(header); h >= 0; h = head.IndexOf(header, h + 1))
        {
            var line = head.ValueAt(h);
            for (int pos = 0; NextElement(line, ref pos, out int start, out int length);)
            {
                if (length < name.Length + 1) continue;
                var element = line.Slice(start, length);
                int from = 0;
                while ((from = ExtractCookie(element, from, name, list: !setCookie, out int vs, out int vl)) >= 0)
                {
                    value = element.Slice(vs, vl);
                    found = true;
                    if (name.IsEmpty) return true;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Occurrence <paramref name="occurrence"/> of a header's values: 0 the last one, 1 the first,
    /// -2 the one before the last. Without <paramref name="full"/> a value stops at each comma
    /// (outside quotes), as 'hdr()' does; 'fhdr()' takes whole lines.
    /// </summary>
    public static bool TryHeader(HttpHead head, ReadOnlySpan<byte> name, int occurrence, bool full, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (occurrence < -MaxHeaderHistory) return false;
        int wanted = occurrence == 0 ? -1 : occurrence;
        // The last |wanted| occurrences as (header index, start, length), in a ring.
        Span<(int Header, int Start, int Length)> ring = stackalloc (int, int, int)[MaxHeaderHistory];
        int seen = 0;
        for (int h = head.IndexOf(name); h >= 0; h = head.IndexOf(name, h + 1))
        {
            var line = head.ValueAt(h);
            int pos = 0, start, length;
            while (full ? Whole(line, ref pos, out start, out length) : NextElement(line, ref pos, out start, out length))
            {
                seen++;
                if (wanted > 0 && seen == wanted) { value = line.Slice(start, length); return true; }
                if (wanted < 0) ring[(seen - 1) % MaxHeaderHistory] = (h, start, length);
            }
        }
        if (wanted > 0 || seen + wanted < 0) return false;
        var (header, s, l) = ring[(seen + wanted) % MaxHeaderHistory];
        value = head.ValueAt(header).Slice(s, l);
        return true;
    }

    /// <summary>
    /// The value of the first NAME=value parameter after the first <paramref name="delimiter"/> of
    /// the URI; parameters are separated by '&amp;', ';' or the delimiter, which also end a value.
    /// </summary>
    public static bool TryUrlParam(ReadOnlySpan<byte> uri, ReadOnlySpan<byte> name, byte delimiter, out ReadOnlySpan<byte> value)
    {
        value = default;
        int q = uri.IndexOf(delimiter);
        if (q < 0 || name.IsEmpty) return false;
        var qs = uri[(q + 1)..];
        int pos = 0;
        while (true)
        {
            int equal = pos + name.Length;
            if (equal >= qs.Length) return false;
            if (qs[equal] == (byte)'=')
            {
                if (qs.Slice(pos, name.Length).SequenceEqual(name)) break;
                pos = equal + 1;
            }
            while (pos < qs.Length && !IsParamDelimiter(qs[pos], delimiter)) pos++;
            if (pos >= qs.Length) return false;
            pos++;
        }
        int vs = pos + name.Length + 1, ve = vs;
        while (ve < qs.Length && !IsParamDelimiter(qs[ve], delimiter)) ve++;
        value = qs[vs..ve];
        return true;
    }

    /// <summary>The path of a request target: from its first '/' after any scheme and authority, up to '?'.</summary>
    public static bool TryPath(ReadOnlySpan<byte> uri, out ReadOnlySpan<byte> path)
    {
        path = default;
        if (uri.IsEmpty || uri[0] == (byte)'*') return false;
        int p = 0;
        if (IsAlpha(uri[0]))
        {
            p = 1;
            while (p < uri.Length && (IsAlpha(uri[p]) || (uint)(uri[p] - '0') <= 9 || uri[p] is (byte)'+' or (byte)'-' or (byte)'.')) p++;
            if (p == uri.Length || uri[p++] != (byte)':') return false;
            if (p == uri.Length || uri[p++] != (byte)'/') return false;
            if (p == uri.Length || uri[p++] != (byte)'/') return false;
        }
        while (p < uri.Length && uri[p] != (byte)'/') p++;
        if (p == uri.Length) return false;
        var rest = uri[p..];
        int qm = rest.IndexOf((byte)'?');
        path = qm < 0 ? rest : rest[..qm];
        return true;
    }

    /// <summary>
    /// HAProxy's http_extract_cookie_value: the next cookie named <paramref name="name"/> at or after
    /// <paramref name="from"/>; returns where to search next, or -1. Without <paramref name="list"/>
    /// (Set-Cookie) only the first attribute is a cookie.
    /// </summary>
    private static int ExtractCookie(ReadOnlySpan<byte> hdr, int from, ReadOnlySpan<byte> name, bool list, out int valueStart, out int valueLength)
    {
        valueStart = valueLength = 0;
        int end = hdr.Length;
        for (int att = from, next; att + name.Length + 1 < end; att = next + 1)
        {
            while (att < end && IsSpHt(hdr[att])) att++;
            int equal = att, attEnd = att;
            while (equal < end)
            {
                byte c = hdr[equal];
                if (c == '=' || c == ';' || (list && c == ',')) break;
                if (IsSpHt(hdr[equal++])) continue;
                attEnd = equal;
            }
            int vb, ve;
            if (equal < end && hdr[equal] == (byte)'=')
            {
                vb = equal + 1;
                while (vb < end && IsSpHt(hdr[vb])) vb++;
                next = CookieValueEnd(hdr, vb);
                ve = next;
                while (ve > vb && IsSpHt(hdr[ve - 1])) ve--;
            }
            else vb = ve = next = equal;

            if (att < end && hdr[att] == (byte)'$') continue;
            if (equal == next) continue; // no '=': not a cookie
            if (name.IsEmpty || (attEnd - att == name.Length && hdr.Slice(att, name.Length).SequenceEqual(name)))
            {
                valueStart = vb;
                valueLength = ve - vb;
                return next + 1;
            }
            if (!list) break;
        }
        return -1;
    }

    /// <summary>The end of a cookie value: ';' or ',' outside a quoted string.</summary>
    private static int CookieValueEnd(ReadOnlySpan<byte> s, int i)
    {
        bool quoted = false, pair = false;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            if (pair) pair = false;
            else if (quoted)
            {
                if (c == '\\') pair = true;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',' || c == ';') return i;
        }
        return i;
    }

    /// <summary>
    /// The next comma-separated element of a header line (commas inside quotes do not count),
    /// trimmed of spaces and tabs; empty elements count. <paramref name="pos"/> moves past it.
    /// </summary>
    private static bool NextElement(ReadOnlySpan<byte> line, ref int pos, out int start, out int length)
    {
        start = length = 0;
        if (pos > line.Length) return false;
        int end = pos;
        bool quoted = false, pair = false;
        for (; end < line.Length; end++)
        {
            byte c = line[end];
            if (pair) pair = false;
            else if (quoted)
            {
                if (c == '\\') pair = true;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') break;
        }
        (start, length) = Trim(line, pos, end);
        pos = end + 1;
        return true;
    }

    /// <summary>The whole line once, trimmed ('fhdr').</summary>
    private static bool Whole(ReadOnlySpan<byte> line, ref int pos, out int start, out int length)
    {
        start = length = 0;
        if (pos > 0) return false;
        (start, length) = Trim(line, 0, line.Length);
        pos = line.Length + 1;
        return true;
    }

    private static (int Start, int Length) Trim(ReadOnlySpan<byte> line, int start, int end)
    {
        while (start < end && IsSpHt(line[start])) start++;
        while (end > start && IsSpHt(line[end - 1])) end--;
        return (start, end - start);
    }

    private static bool IsParamDelimiter(byte c, byte delimiter) => c == '&' || c == ';' || c == delimiter;

    private static bool IsSpHt(byte c) => c is (byte)' ' or (byte)'\t';

    private static bool IsAlpha(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
