namespace Lb.Actors.Logging;

internal enum RequestLineParts { Whole, Method, Uri, Path, PathOnly, Query, Version }

/// <summary>Cuts the logged request line ("GET /a?b HTTP/1.1") into %HM, %HU, %HP, %HPO, %HQ and %HV.</summary>
internal static class RequestLineParser
{
    /// <param name="present">false: no valid request was received</param>
    /// <param name="bad">true: the part cannot be had, "&lt;BADREQ&gt;" is logged</param>
    public static ReadOnlySpan<byte> Part(ReadOnlySpan<byte> line, bool present, RequestLineParts part, out bool bad)
    {
        bad = false;
        if (!present || line.IsEmpty) { bad = true; return default; }
        if (part == RequestLineParts.Whole) return line;
        int methodEnd = NextSpace(line, 0);
        if (part == RequestLineParts.Method)
        {
            if (methodEnd == line.Length) bad = true;
            return line[..methodEnd];
        }
        if (part == RequestLineParts.Query)
        {
            int q = line.IndexOf((byte)'?');
            if (q < 0) return default;
            return line[q..NextSpace(line, q)];
        }
        int uriStart = SkipSpaces(line, methodEnd);
        if (uriStart == methodEnd) { bad = true; return default; }
        int uriEnd = NextSpace(line, uriStart);
        var uri = line[uriStart..uriEnd];
        switch (part)
        {
            case RequestLineParts.Uri: return uri;
            case RequestLineParts.Path: return CutAtQuery(uri);
            case RequestLineParts.PathOnly: return CutAtQuery(PathOf(uri));
            default: // Version: what follows the URI; empty means HTTP/0.9
                int v = SkipSpaces(line, uriEnd);
                return line[v..NextSpace(line, v)];
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t';

    private static int NextSpace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && !IsSpace(s[i])) i++;
        return i;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && IsSpace(s[i])) i++;
        return i;
    }

    private static ReadOnlySpan<byte> CutAtQuery(ReadOnlySpan<byte> uri)
    {
        int q = uri.IndexOf((byte)'?');
        return q < 0 ? uri : uri[..q];
    }

    // "http://host:80/a/b?c" -> "/a/b?c"; origin-form stays as it is.
    private static ReadOnlySpan<byte> PathOf(ReadOnlySpan<byte> uri)
    {
        if (uri.IsEmpty || uri[0] == (byte)'/') return uri;
        int scheme = uri.IndexOf("://"u8);
        if (scheme < 0) return uri;
        var rest = uri[(scheme + 3)..];
        int slash = rest.IndexOf((byte)'/');
        return slash < 0 ? default : rest[slash..];
    }
}
