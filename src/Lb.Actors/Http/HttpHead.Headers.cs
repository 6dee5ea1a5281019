using System.Text;

namespace Lb.Actors.Http;

/// <summary>One header: offsets of its name and (trimmed) value in the head's buffer.</summary>
internal struct HeaderEntry
{
    public int NameStart, NameLength, ValueStart, ValueLength;
}

/// <summary>A header seen through the head's buffer; valid until the head is modified.</summary>
public readonly ref struct HttpHeaderField
{
    public HttpHeaderField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) { Name = name; Value = value; }
    public ReadOnlySpan<byte> Name { get; }
    public ReadOnlySpan<byte> Value { get; }
    public string NameString() => Encoding.Latin1.GetString(Name);
    public string ValueString() => Encoding.Latin1.GetString(Value);
}

public abstract partial class HttpHead
{
    private HeaderEntry[] _entries;
    private int _count;

    public int HeaderCount => _count;

    /// <summary>
    /// Lower-cases every header name in place, as HAProxy's HTTP/1 layer emits them (it stores
    /// names in lower case). Lengths do not change, so the head stays forwardable as is.
    /// </summary>
    public void LowerCaseNames()
    {
        for (int i = 0; i < _count; i++)
        {
            var name = _buf.AsSpan(_entries[i].NameStart, _entries[i].NameLength);
            for (int j = 0; j < name.Length; j++)
                if ((uint)(name[j] - 'A') <= 'Z' - 'A') name[j] |= 0x20;
        }
    }

    public ReadOnlySpan<byte> NameAt(int index) { Check(index); return Slice(_entries[index].NameStart, _entries[index].NameLength); }

    public ReadOnlySpan<byte> ValueAt(int index) { Check(index); return Slice(_entries[index].ValueStart, _entries[index].ValueLength); }

    public HttpHeaderField this[int index] => new(NameAt(index), ValueAt(index));

    /// <summary>foreach (var h in head.Headers) ... h.Name / h.Value, without allocation.</summary>
    public HeaderEnumerator Headers => new(this);

    /// <summary>Index of the first header named <paramref name="name"/> (case-insensitive) at or
    /// after <paramref name="start"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> name, int start = 0)
    {
        for (int i = start; i < _count; i++)
        {
            ref readonly var e = ref _entries[i];
            if (e.NameLength == name.Length && Ascii.EqualsIgnoreCase(Slice(e.NameStart, e.NameLength), name)) return i;
        }
        return -1;
    }

    public int IndexOf(string name, int start = 0)
    {
        for (int i = start; i < _count; i++)
        {
            ref readonly var e = ref _entries[i];
            if (e.NameLength == name.Length && Ascii.EqualsIgnoreCase(Slice(e.NameStart, e.NameLength), name)) return i;
        }
        return -1;
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    public bool Contains(ReadOnlySpan<byte> name) => IndexOf(name) >= 0;

    /// <summary>Value of the first header with that name.</summary>
    public bool TryGetValue(string name, out ReadOnlySpan<byte> value)
    {
        int i = IndexOf(name);
        value = i < 0 ? default : ValueAt(i);
        return i >= 0;
    }

    /// <summary>Value of the first header with that name as a string (allocates), or null.</summary>
    public string? GetValue(string name)
    {
        int i = IndexOf(name);
        return i < 0 ? null : Encoding.Latin1.GetString(ValueAt(i));
    }

    /// <summary>Values of every header with that name joined by ", " (allocates), or null.</summary>
    public string? GetJoinedValues(string name)
    {
        StringBuilder? sb = null;
        for (int i = IndexOf(name); i >= 0; i = IndexOf(name, i + 1))
        {
            if (sb == null) sb = new StringBuilder(); else sb.Append(", ");
            sb.Append(Encoding.Latin1.GetString(ValueAt(i)));
        }
        return sb?.ToString();
    }

    /// <summary>Appends a header line at the end (HAProxy's http-request add-header).</summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int ns = Append(name);
        int vs = Append(value);
        AddEntry(ns, name.Length, vs, value.Length);
        _canonical = false;
    }

    public void Add(string name, string value)
    {
        Span<byte> tmp = name.Length + value.Length <= 512 ? stackalloc byte[name.Length + value.Length] : new byte[name.Length + value.Length];
        Encoding.Latin1.GetBytes(name, tmp);
        Encoding.Latin1.GetBytes(value, tmp[name.Length..]);
        Add(tmp[..name.Length], tmp[name.Length..]);
    }

    public void RemoveAt(int index)
    {
        Check(index);
        Array.Copy(_entries, index + 1, _entries, index, _count - index - 1);
        _count--;
        _canonical = false;
    }

    /// <summary>Removes every header with that name; returns how many were removed.</summary>
    public int Remove(string name)
    {
        int removed = 0;
        for (int i = IndexOf(name); i >= 0; i = IndexOf(name, i)) { RemoveAt(i); removed++; }
        return removed;
    }

    public int Remove(ReadOnlySpan<byte> name)
    {
        int removed = 0;
        for (int i = IndexOf(name); i >= 0; i = IndexOf(name, i)) { RemoveAt(i); removed++; }
        return removed;
    }

    /// <summary>Replaces the value of the first header with that name and removes the others,
    /// or adds it at the end when absent (HAProxy's set-header keeps no position; neither do we).</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    public void Set(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Remove(name);
        Add(name, value);
    }

    /// <summary>Replaces the value of header <paramref name="index"/> in place.</summary>
    public void SetValueAt(int index, ReadOnlySpan<byte> value)
    {
        Check(index);
        int vs = Append(value);
        _entries[index].ValueStart = vs;
        _entries[index].ValueLength = value.Length;
        _canonical = false;
    }

    internal void AddEntry(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (_count == _entries.Length) Array.Resize(ref _entries, _count * 2);
        _entries[_count++] = new HeaderEntry { NameStart = nameStart, NameLength = nameLength, ValueStart = valueStart, ValueLength = valueLength };
    }

    internal ref HeaderEntry EntryAt(int index) => ref _entries[index];

    private void Check(int index)
    {
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
    }

    public ref struct HeaderEnumerator
    {
        private readonly HttpHead _head;
        private int _i;
        internal HeaderEnumerator(HttpHead head) { _head = head; _i = -1; }
        public readonly HeaderEnumerator GetEnumerator() => this;
        public bool MoveNext() => ++_i < _head._count;
        public readonly HttpHeaderField Current => _head[_i];
    }
}
