using Lb.Actors.Http;

namespace Lb.Actors.Rules.Fetching;

/// <summary>
/// Walks the values of a header in a head: every line named so (any line when the name is
/// empty), each line cut at the commas that are outside quoted strings ("split", as HAProxy's
/// hdr() does) or whole (fhdr()), values trimmed of blanks.
/// </summary>
internal ref struct HeaderValues
{
    private readonly HttpHead _head;
    private readonly ReadOnlySpan<byte> _name;
    private readonly bool _split;
    private int _line;
    private ReadOnlySpan<byte> _rest;
    private bool _inLine;

    public HeaderValues(HttpHead head, ReadOnlySpan<byte> name, bool split)
    {
        _head = head;
        _name = name;
        _split = split;
        _line = -1;
        _rest = default;
        _inLine = false;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public bool MoveNext()
    {
        while (true)
        {
            if (_inLine)
            {
                int end = ValueEnd(_rest);
                Current = Trim(_rest[..end]);
                if (end < _rest.Length) _rest = _rest[(end + 1)..];
                else _inLine = false;
                return true;
            }
            _line = _name.IsEmpty ? (_line + 1 < _head.HeaderCount ? _line + 1 : -1) : _head.IndexOf(_name, _line + 1);
            if (_line < 0) return false;
            var value = _head.ValueAt(_line);
            if (!_split) { Current = Trim(value); return true; }
            _rest = value;
            _inLine = true;
        }
    }

    /// <summary>How many values the header has.</summary>
    public static int Count(HttpHead head, ReadOnlySpan<byte> name, bool split)
    {
        int n = 0;
        var e = new HeaderValues(head, name, split);
        while (e.MoveNext()) n++;
        return n;
    }

    /// <summary>Occurrence <paramref name="occ"/>: 1 the first, -1 the last, -2 the one before...</summary>
    public static bool TryGet(HttpHead head, ReadOnlySpan<byte> name, bool split, int occ, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (occ < 0)
        {
            occ = Count(head, name, split) + occ + 1;
            if (occ <= 0) return false;
        }
        var e = new HeaderValues(head, name, split);
        for (int i = 0; e.MoveNext();)
        {
            if (++i == occ) { value = e.Current; return true; }
        }
        return false;
    }

    /// <summary>End of a comma-separated value: the first comma outside a quoted string.</summary>
    public static int ValueEnd(ReadOnlySpan<byte> s)
    {
        bool quoted = false, escaped = false;
        for (int i = 0; i < s.Length; i++)
        {
            byte c = s[i];
            if (escaped) escaped = false;
            else if (quoted)
            {
                if (c == '\\') escaped = true;
                else if (c == '"') quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') return i;
        }
        return s.Length;
    }

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && s[a] is (byte)' ' or (byte)'\t') a++;
        while (b > a && s[b - 1] is (byte)' ' or (byte)'\t') b--;
        return s[a..b];
    }
}
