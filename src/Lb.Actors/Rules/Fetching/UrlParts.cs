namespace Lb.Actors.Rules.Fetching;

/// <summary>The parts of a request target as HAProxy's fetches see them (http_parse_path & co).</summary>
internal static class UrlParts
{
    /// <summary>
    /// The path with its query: the target itself in origin-form ("/a?b"), what follows the
    /// authority in absolute-form ("http://h/a?b" gives "/a?b", "http://h" gives ""); none for
    /// "*" or an authority-form target.
    /// </summary>
    public static bool TryPathWithQuery(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> path)
    {
        path = default;
        if (target.IsEmpty || target[0] == (byte)'*') return false;
        if (target[0] == (byte)'/') { path = target; return true; }
        if (!char.IsAsciiLetter((char)target[0])) return false;
        int i = 1;
        while (i < target.Length && (char.IsAsciiLetterOrDigit((char)target[i]) || target[i] is (byte)'+' or (byte)'-' or (byte)'.')) i++;
        if (!target[i..].StartsWith("://"u8)) return false;
        var rest = target[(i + 3)..];
        int slash = rest.IndexOf((byte)'/');
        path = slash < 0 ? rest[rest.Length..] : rest[slash..];
        return true;
    }

    /// <summary>The path without its query.</summary>
    public static bool TryPath(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> path)
    {
        if (!TryPathWithQuery(target, out path)) return false;
        int q = path.IndexOf((byte)'?');
        if (q >= 0) path = path[..q];
        return true;
    }

    /// <summary>What follows the first '?' of the target (may be empty); none without a '?'.</summary>
    public static bool TryQuery(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> query)
    {
        int q = target.IndexOf((byte)'?');
        query = q < 0 ? default : target[(q + 1)..];
        return q >= 0;
    }

    /// <summary>The authority of an absolute-form target ("h:8080" in "http://h:8080/x").</summary>
    public static bool TryAuthority(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> authority)
    {
        authority = default;
        int scheme = target.IndexOf("://"u8);
        if (scheme <= 0 || target[0] == (byte)'/') return false;
        var rest = target[(scheme + 3)..];
        int end = rest.IndexOfAny((byte)'/', (byte)'?');
        authority = end < 0 ? rest : rest[..end];
        return true;
    }

    /// <summary>
    /// The values of URL parameter <paramref name="name"/> in the query string, in order: each
    /// parameter separated by one of <paramref name="delimiters"/> ('&amp;' by default) that is
    /// "name=value" (or "name" alone, an empty value); an empty name takes every parameter.
    /// </summary>
    public ref struct Params
    {
        private ReadOnlySpan<byte> _rest;
        private readonly ReadOnlySpan<byte> _name;
        private readonly ReadOnlySpan<byte> _delimiters;
        private bool _done;

        public Params(ReadOnlySpan<byte> target, ReadOnlySpan<byte> name, ReadOnlySpan<byte> delimiters)
        {
            _done = !TryQuery(target, out _rest);
            _name = name;
            _delimiters = delimiters;
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public bool MoveNext()
        {
            while (!_done)
            {
                int end = _rest.IndexOfAny(_delimiters);
                var param = end < 0 ? _rest : _rest[..end];
                if (end < 0) _done = true; else _rest = _rest[(end + 1)..];
                if (param.IsEmpty) continue;
                int eq = param.IndexOf((byte)'=');
                var key = eq < 0 ? param : param[..eq];
                if (!_name.IsEmpty && !key.SequenceEqual(_name)) continue;
                Current = eq < 0 ? param[param.Length..] : param[(eq + 1)..];
                return true;
            }
            return false;
        }
    }
}
