namespace Lb.Actors.Http;

/// <summary>Character classes of the HTTP/1 grammar, as HAProxy's h1 parser applies them.</summary>
internal static class HttpSyntax
{
    private static readonly bool[] Token = BuildToken();
    private static readonly bool[] UriChar = BuildUri();

    /// <summary>tchar (RFC 9110): header names and methods.</summary>
    public static bool IsToken(byte b) => Token[b];

    /// <summary>Bytes HAProxy 2.6 accepts in a request target: 0x21-0x7F except '#'.</summary>
    public static bool IsUriChar(byte b) => UriChar[b];

    public static bool IsSpace(byte b) => b == (byte)' ' || b == (byte)'\t';

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool[] BuildToken()
    {
        var t = new bool[256];
        for (int c = 'a'; c <= 'z'; c++) t[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) t[c] = true;
        for (int c = '0'; c <= '9'; c++) t[c] = true;
        foreach (var c in "!#$%&'*+-.^_`|~") t[c] = true;
        return t;
    }

    private static bool[] BuildUri()
    {
        var t = new bool[256];
        for (int c = 0x21; c <= 0x7F; c++) t[c] = true;
        t['#'] = false;
        return t;
    }

    public static ReadOnlySpan<byte> TrimSpaces(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && IsSpace(s[a])) a++;
        while (b > a && IsSpace(s[b - 1])) b--;
        return s[a..b];
    }

    /// <summary>Calls back each comma-separated element, trimmed of spaces (empty ones too).</summary>
    public static bool ContainsToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (var range in new CommaList(list))
            if (System.Text.Ascii.EqualsIgnoreCase(list[range], token)) return true;
        return false;
    }
}

/// <summary>Enumerates the trimmed elements of a comma-separated header value, as ranges.</summary>
internal ref struct CommaList
{
    private readonly ReadOnlySpan<byte> _s;
    private int _pos;

    public CommaList(ReadOnlySpan<byte> s) { _s = s; _pos = 0; Current = default; }

    public Range Current { get; private set; }

    public readonly CommaList GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_pos > _s.Length) return false;
        var rest = _s[_pos..];
        int comma = rest.IndexOf((byte)',');
        int len = comma < 0 ? rest.Length : comma;
        int a = 0, b = len;
        while (a < b && HttpSyntax.IsSpace(rest[a])) a++;
        while (b > a && HttpSyntax.IsSpace(rest[b - 1])) b--;
        Current = new Range(_pos + a, _pos + b);
        _pos += len + 1;
        return true;
    }
}
