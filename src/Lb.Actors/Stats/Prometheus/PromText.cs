using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Lb.Actors.Stats.Prometheus;

/// <summary>
/// The exposition text being written: a byte buffer rented from the shared pool, grown by
/// doubling, returned by <see cref="Dispose"/>. Writes text straight as bytes (no intermediate
/// strings) so that a scrape allocates little besides the rows it reads.
/// </summary>
internal sealed class PromText : IDisposable
{
    private byte[] _buf;
    private int _len;

    public PromText(int capacity = 64 * 1024) => _buf = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length => _len;
    public ReadOnlySpan<byte> Written => _buf.AsSpan(0, _len);

    private Span<byte> Room(int n)
    {
        if (_len + n > _buf.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buf.Length * 2, _len + n));
            _buf.AsSpan(0, _len).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
        }
        return _buf.AsSpan(_len);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Room(bytes.Length));
        _len += bytes.Length;
    }

    public void Append(byte b)
    {
        Room(1)[0] = b;
        _len++;
    }

    /// <summary>Text whose characters are all ASCII (names, numbers).</summary>
    public void Ascii(string s)
    {
        var dst = Room(s.Length);
        for (int i = 0; i < s.Length; i++) dst[i] = (byte)s[i];
        _len += s.Length;
    }

    /// <summary>A label value: UTF-8, with '\', '"' and newlines escaped as the exposition format wants.</summary>
    public void LabelValue(string s)
    {
        if (s.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            _len += Encoding.UTF8.GetBytes(s, Room(Encoding.UTF8.GetMaxByteCount(s.Length)));
            return;
        }
        foreach (var ch in s)
        {
            if (ch == '\\') Append("\\\\"u8);
            else if (ch == '"') Append("\\\""u8);
            else if (ch == '\n') Append("\\n"u8);
            else _len += Encoding.UTF8.GetBytes(new ReadOnlySpan<char>(in ch), Room(4));
        }
    }

    public void Number(long v)
    {
        Utf8Formatter.TryFormat(v, Room(20), out int n);
        _len += n;
    }

    /// <summary>Milliseconds as seconds with six decimals, as haproxy's "%f" of ms / 1000.0 prints them.</summary>
    public void Seconds(long ms)
    {
        if (ms < 0) { Append((byte)'-'); ms = -ms; }
        Number(ms / 1000);
        Append((byte)'.');
        long frac = ms % 1000;
        var d = Room(6);
        d[0] = (byte)('0' + frac / 100);
        d[1] = (byte)('0' + frac / 10 % 10);
        d[2] = (byte)('0' + frac % 10);
        d[3] = d[4] = d[5] = (byte)'0';
        _len += 6;
    }

    public void Dispose()
    {
        var b = _buf;
        _buf = [];
        _len = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
