using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Text;

namespace Lb.Actors.Rules.Format;

/// <summary>
/// Builds a header value, a Location or any other text of a rule from pieces, in a stack buffer
/// given by the caller that moves to a pooled array only when it is outgrown. Dispose returns
/// that array.
/// </summary>
public ref struct ValueBuilder
{
    private Span<byte> _span;
    private byte[]? _rented;
    private int _length;

    public ValueBuilder(Span<byte> initial)
    {
        _span = initial;
        _rented = null;
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<byte> Written => _span[.._length];

    /// <summary>The bytes written from <paramref name="start"/> on, writable (for converters).</summary>
    public readonly Span<byte> Since(int start) => _span[start.._length];

    public void Truncate(int length) => _length = Math.Min(_length, Math.Max(0, length));

    public void Append(byte b)
    {
        if (_length == _span.Length) Grow(1);
        _span[_length++] = b;
    }

    public void Append(scoped ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _span.Length) Grow(bytes.Length);
        bytes.CopyTo(_span[_length..]);
        _length += bytes.Length;
    }

    public void AppendLatin1(string text)
    {
        if (_length + text.Length > _span.Length) Grow(text.Length);
        _length += Encoding.Latin1.GetBytes(text, _span[_length..]);
    }

    public void AppendInt(long value)
    {
        if (_length + 24 > _span.Length) Grow(24);
        Utf8Formatter.TryFormat(value, _span[_length..], out int n);
        _length += n;
    }

    public void AppendIp(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_length + 64 > _span.Length) Grow(64);
        address.TryFormat(_span[_length..], out int n);
        _length += n;
    }

    public readonly byte[] ToArray() => Written.ToArray();

    private void Grow(int more)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_span.Length * 2, _length + more + 64));
        _span[.._length].CopyTo(bigger);
        if (_rented != null) ArrayPool<byte>.Shared.Return(_rented);
        _rented = bigger;
        _span = bigger;
    }

    public void Dispose()
    {
        if (_rented != null) ArrayPool<byte>.Shared.Return(_rented);
        _rented = null;
        _span = default;
        _length = 0;
    }
}
