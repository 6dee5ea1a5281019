using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lb.Tests.DataPlane;

/// <summary>How a connection ended when it was read to its end.</summary>
public enum CloseKind
{
    /// <summary>The peer sent FIN (a 0-byte read).</summary>
    Fin,
    /// <summary>The peer reset the connection (ECONNRESET).</summary>
    Reset,
    /// <summary>Neither within the time allowed: the connection is still open.</summary>
    Timeout,
}

/// <summary>
/// One TCP connection driven byte by byte, used both as a test client and as the server side of
/// a <see cref="TestServer"/>: buffered reads (heads, lines, chunked bodies, exact counts),
/// writes, half-close and abort. Every operation is bounded by a timeout (default 10 s) and
/// throws <see cref="TimeoutException"/> naming what it waited for.
/// </summary>
public sealed class RawConnection : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private const int MaxHead = 1 << 20;

    private readonly CancellationToken _lifetime;
    private byte[] _buf = new byte[8 * 1024]; // grows on demand (large heads)
    private int _start, _end;
    private int _disposed;

    public RawConnection(Socket socket, int index = 0, CancellationToken lifetime = default)
    {
        Socket = socket;
        Index = index;
        _lifetime = lifetime;
    }

    public Socket Socket { get; }

    /// <summary>On a <see cref="TestServer"/>: the accept number, from 1.</summary>
    public int Index { get; }

    /// <summary>On a <see cref="TestServer"/>: the server's name.</summary>
    public string ServerName { get; init; } = "";

    /// <summary>The peer's FIN has been read.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Total bytes received / sent on this connection.</summary>
    public long BytesReceived { get; private set; }
    public long BytesSent { get; private set; }

    public static async Task<RawConnection> ConnectAsync(int port, TimeSpan? timeout = null)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        }
        catch (OperationCanceledException)
        {
            s.Dispose();
            throw new TimeoutException($"connect to 127.0.0.1:{port} timed out");
        }
        catch
        {
            s.Dispose();
            throw;
        }
        return new RawConnection(s);
    }

    // ---- writing --------------------------------------------------------------------------

    public Task SendAsync(string latin1, TimeSpan? timeout = null) => SendAsync(Encoding.Latin1.GetBytes(latin1), timeout);

    public async Task SendAsync(ReadOnlyMemory<byte> data, TimeSpan? timeout = null)
    {
        using var cts = Cts(timeout);
        try
        {
            while (!data.IsEmpty)
            {
                int n = await Socket.SendAsync(data, SocketFlags.None, cts.Token);
                BytesSent += n;
                data = data[n..];
            }
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            throw new TimeoutException($"send timed out after {BytesSent} bytes");
        }
    }

    /// <summary>Sends FIN; reading goes on.</summary>
    public void ShutdownSend()
    {
        try { Socket.Shutdown(SocketShutdown.Send); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    /// <summary>Closes with RST (linger 0).</summary>
    public void Abort()
    {
        try { Socket.LingerState = new LingerOption(true, 0); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        Dispose();
    }

    // ---- reading --------------------------------------------------------------------------

    public int Buffered => _end - _start;

    /// <summary>Reads into <paramref name="dest"/>: buffered bytes first, else one socket read. 0 = EOF.</summary>
    public async Task<int> ReadIntoAsync(Memory<byte> dest, TimeSpan? timeout = null)
    {
        if (Buffered > 0)
        {
            int k = Math.Min(dest.Length, Buffered);
            _buf.AsMemory(_start, k).CopyTo(dest);
            _start += k;
            return k;
        }
        if (EndOfStream) return 0;
        using var cts = Cts(timeout);
        int n;
        try
        {
            n = await Socket.ReceiveAsync(dest, SocketFlags.None, cts.Token);
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            throw new TimeoutException($"read timed out after {BytesReceived} bytes");
        }
        if (n == 0) EndOfStream = true;
        BytesReceived += n;
        return n;
    }

    /// <summary>One more socket read into the internal buffer; false at EOF.</summary>
    private async Task<bool> FillAsync(CancellationToken ct, string what)
    {
        if (EndOfStream) return false;
        if (_start == _end) _start = _end = 0;
        if (_end == _buf.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buf, _buf.Length * 2);
            }
        }
        int n;
        try
        {
            n = await Socket.ReceiveAsync(_buf.AsMemory(_end), SocketFlags.None, ct);
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            throw new TimeoutException($"timed out waiting for {what} ({BytesReceived} bytes received so far, {Buffered} unparsed)");
        }
        if (n == 0) { EndOfStream = true; return false; }
        BytesReceived += n;
        _end += n;
        return true;
    }

    /// <summary>A message head up to and including the empty line; null on EOF before any byte.</summary>
    public async Task<byte[]?> ReadHeadAsync(TimeSpan? timeout = null)
    {
        using var cts = Cts(timeout);
        int scanned = _start;
        for (int guard = 0; guard < 1_000_000; guard++)
        {
            int at = IndexOf(_buf, _start, _end, "\r\n\r\n"u8, ref scanned);
            if (at >= 0)
            {
                var head = _buf.AsSpan(_start, at + 4 - _start).ToArray();
                _start = at + 4;
                return head;
            }
            if (Buffered > MaxHead) throw new InvalidDataException("head larger than 1 MiB");
            int before = _start;
            if (!await FillAsync(cts.Token, "a message head"))
            {
                if (Buffered == 0) return null;
                throw new EndOfStreamException($"connection closed in the middle of a head: {Preview(_buf.AsSpan(_start, Buffered))}");
            }
            scanned -= before - _start; // a compaction moved the data
        }
        throw new InvalidOperationException("unreachable");
    }

    private static int IndexOf(byte[] buf, int start, int end, ReadOnlySpan<byte> what, ref int scanned)
    {
        int from = Math.Max(start, scanned - what.Length + 1);
        int i = buf.AsSpan(from, end - from).IndexOf(what);
        scanned = end;
        return i < 0 ? -1 : from + i;
    }

    /// <summary>One line without its CRLF (a bare LF also ends it).</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = Cts(timeout);
        for (int guard = 0; guard < 1_000_000; guard++)
        {
            int lf = _buf.AsSpan(_start, Buffered).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                int len = lf > 0 && _buf[_start + lf - 1] == '\r' ? lf - 1 : lf;
                var line = Encoding.Latin1.GetString(_buf, _start, len);
                _start += lf + 1;
                return line;
            }
            if (Buffered > MaxHead) throw new InvalidDataException("line longer than 1 MiB");
            if (!await FillAsync(cts.Token, "a line"))
                throw new EndOfStreamException("connection closed in the middle of a line");
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Up to <paramref name="count"/> bytes: fewer only when the peer closed (FIN or RST).</summary>
    public async Task<(byte[] Data, CloseKind? ClosedBy)> ReadUpToAsync(int count, TimeSpan? timeout = null)
    {
        var result = new byte[count];
        int got = 0;
        using var cts = Cts(timeout);
        while (got < count)
        {
            if (Buffered > 0)
            {
                int k = Math.Min(count - got, Buffered);
                Buffer.BlockCopy(_buf, _start, result, got, k);
                _start += k;
                got += k;
                continue;
            }
            try
            {
                if (!await FillAsync(cts.Token, $"{count - got} more body bytes")) return (result[..got], CloseKind.Fin);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return (result[..got], CloseKind.Reset);
            }
        }
        return (result, null);
    }

    public async Task<byte[]> ReadExactAsync(int count, TimeSpan? timeout = null)
    {
        var (data, closed) = await ReadUpToAsync(count, timeout);
        if (closed != null) throw new EndOfStreamException($"connection closed ({closed}) after {data.Length} of {count} bytes");
        return data;
    }

    /// <summary>Reads (and keeps at most <paramref name="keep"/> bytes of) everything until the peer closes.</summary>
    public async Task<(byte[] Data, CloseKind Kind)> ReadUntilCloseAsync(TimeSpan? timeout = null, int keep = 16 << 20)
    {
        var ms = new MemoryStream();
        if (Buffered > 0)
        {
            ms.Write(_buf, _start, Math.Min(Buffered, keep));
            _start = _end;
        }
        if (EndOfStream) return (ms.ToArray(), CloseKind.Fin);
        var chunk = new byte[64 * 1024];
        using var cts = Cts(timeout);
        try
        {
            for (long guard = 0; guard < 100_000_000; guard++)
            {
                int n = await Socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token);
                if (n == 0) { EndOfStream = true; return (ms.ToArray(), CloseKind.Fin); }
                BytesReceived += n;
                if (ms.Length < keep) ms.Write(chunk, 0, (int)Math.Min(n, keep - ms.Length));
            }
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            return (ms.ToArray(), CloseKind.Timeout);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return (ms.ToArray(), CloseKind.Reset);
        }
        return (ms.ToArray(), CloseKind.Timeout);
    }

    /// <summary>True when the peer neither closed nor reset within <paramref name="window"/> (data may arrive).</summary>
    public async Task<bool> StaysOpenAsync(TimeSpan window)
    {
        if (Buffered > 0) return true;
        if (EndOfStream) return false;
        return await Task.Run(() =>
        {
            try
            {
                if (!Socket.Poll((int)window.TotalMicroseconds, SelectMode.SelectRead)) return true;
                return Socket.Available > 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        });
    }

    /// <summary>True when data (or a close) arrives within <paramref name="window"/>; nothing is consumed.</summary>
    public async Task<bool> AnythingArrivesWithinAsync(TimeSpan window)
    {
        if (Buffered > 0 || EndOfStream) return true;
        return await Task.Run(() =>
        {
            try { return Socket.Poll((int)window.TotalMicroseconds, SelectMode.SelectRead); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { return true; }
        });
    }

    // ---- HTTP -----------------------------------------------------------------------------

    /// <summary>The next request (head and body), or null when the peer closed before one began.</summary>
    public async Task<HttpMessage?> ReadRequestAsync(TimeSpan? timeout = null)
    {
        var head = await ReadHeadAsync(timeout);
        if (head is null) return null;
        var m = HttpMessage.Parse(head, isResponse: false);
        if (m.IsChunked) await ReadChunkedBodyAsync(m, timeout);
        else if (m.ContentLength is long n && n > 0) await ReadFixedBodyAsync(m, n, timeout);
        return m;
    }

    /// <summary>
    /// The next response to a <paramref name="requestMethod"/> request: 1xx, 204, 304 and HEAD
    /// responses have no body; else chunked, Content-Length or until close. A body cut short by
    /// the peer closing is returned with <see cref="HttpMessage.Truncated"/> set.
    /// </summary>
    public async Task<HttpMessage> ReadResponseAsync(string requestMethod = "GET", TimeSpan? timeout = null)
    {
        var head = await ReadHeadAsync(timeout) ?? throw new EndOfStreamException("connection closed before a response");
        var m = HttpMessage.Parse(head, isResponse: true);
        bool noBody = m.Status is >= 100 and < 200 or 204 or 304 || requestMethod == "HEAD";
        if (noBody) return m;
        if (m.IsChunked) await ReadChunkedBodyAsync(m, timeout);
        else if (m.ContentLength is long n) { if (n > 0) await ReadFixedBodyAsync(m, n, timeout); }
        else
        {
            var (data, kind) = await ReadUntilCloseAsync(timeout);
            m.Body = m.RawBody = data;
            m.ClosedBy = kind;
        }
        return m;
    }

    private async Task ReadFixedBodyAsync(HttpMessage m, long n, TimeSpan? timeout)
    {
        if (n > 256 << 20) throw new InvalidDataException($"body of {n} bytes: read it with ReadIntoAsync");
        var (data, closed) = await ReadUpToAsync((int)n, timeout);
        m.Body = m.RawBody = data;
        m.Truncated = closed != null;
        m.ClosedBy = closed;
    }

    private async Task ReadChunkedBodyAsync(HttpMessage m, TimeSpan? timeout)
    {
        var raw = new MemoryStream();
        var decoded = new MemoryStream();
        try
        {
            for (int chunks = 0; chunks < 1_000_000; chunks++)
            {
                var line = await ReadLineAsync(timeout);
                raw.Write(Encoding.Latin1.GetBytes(line + "\r\n"));
                int semi = line.IndexOf(';');
                var sizeText = (semi >= 0 ? line[..semi] : line).Trim();
                if (semi >= 0) m.ChunkExtensions.Add(line[(semi + 1)..]);
                long size = Convert.ToInt64(sizeText, 16);
                if (size == 0)
                {
                    for (int t = 0; t < 1000; t++)
                    {
                        var tl = await ReadLineAsync(timeout);
                        raw.Write(Encoding.Latin1.GetBytes(tl + "\r\n"));
                        if (tl.Length == 0) break;
                        int colon = tl.IndexOf(':');
                        m.Trailers.Add(new(tl[..colon].Trim(), tl[(colon + 1)..].Trim()));
                    }
                    break;
                }
                var (data, closed) = await ReadUpToAsync((int)size, timeout);
                raw.Write(data);
                decoded.Write(data);
                if (closed != null) { m.Truncated = true; m.ClosedBy = closed; break; }
                var crlf = await ReadExactAsync(2, timeout);
                raw.Write(crlf);
                if (crlf[0] != '\r' || crlf[1] != '\n') throw new InvalidDataException("chunk not followed by CRLF");
            }
        }
        catch (EndOfStreamException)
        {
            m.Truncated = true;
            m.ClosedBy = CloseKind.Fin;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            m.Truncated = true;
            m.ClosedBy = CloseKind.Reset;
        }
        m.RawBody = raw.ToArray();
        m.Body = decoded.ToArray();
    }

    // ---- misc -----------------------------------------------------------------------------

    private CancellationTokenSource Cts(TimeSpan? timeout)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_lifetime);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        return cts;
    }

    internal static string Preview(ReadOnlySpan<byte> bytes)
    {
        var s = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 200)]);
        return s.Replace("\r", "\\r").Replace("\n", "\\n");
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Socket.Dispose();
    }
}
