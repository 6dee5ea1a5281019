using System.Buffers;
using System.Net.Sockets;

namespace Lb.Actors.Sessions;

/// <summary>A finished read of <see cref="Channel"/>: bytes (empty on FIN) or the error.</summary>
internal readonly record struct ChannelRead(ServerChannel Channel, ReadOnlyMemory<byte> Data, Exception? Error);

/// <summary>A finished write of <see cref="Channel"/>; <see cref="Error"/> null when it went through.</summary>
internal readonly record struct ChannelWrite(ServerChannel Channel, Exception? Error);

/// <summary>
/// The server side of an HTTP session: one connected socket with at most one read and one write
/// in flight. An operation that completes at once returns its result to the caller, which
/// handles it inline; one that has to wait hands its result later to the callback, which the
/// owning stage wraps with GetAsyncCallback so that all state stays on the stage's thread.
/// (Sending an already-available result through the callback would cost a trip through the
/// stage's mailbox for every read and write.)
/// Between two exchanges a connection may rest in its server's <see cref="ServerPool"/>, shared
/// by every session; it holds no receive buffer while it waits there.
/// </summary>
internal sealed class ServerChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly int _bufferSize;
    private byte[]? _buffer;
    private int _disposed;

    public ServerChannel(Socket socket, Backends.ServerRuntime server, int bufferSize)
    {
        _socket = socket;
        Server = server;
        _bufferSize = bufferSize;
        server.BackendStats?.Increment(Stats.Counter.H1Connections);
        _shutdown = server.ShutdownToken.UnsafeRegister(static c => ((ServerChannel)c!).Cut(), this); // on-marked-down shutdown-sessions, admin kills
        PoolEpoch = server.Pool.Opened();
    }

    /// <summary>The server pool's epoch when it opened (a changed server address makes it stale).</summary>
    internal int PoolEpoch { get; }

    /// <summary>The server's sessions were cut: the cause ('D', 'K') for the log, then the socket closes.</summary>
    private void Cut()
    {
        CutBy = Server.ShutdownCause;
        _socket.Dispose();
    }

    /// <summary>Why the connection was cut by its server's shutdown ('D', 'K'); '\0' when it was not.</summary>
    public char CutBy { get; private set; }

    /// <summary>Requests sent on this connection so far (more than one: "safe" for reuse).</summary>
    public int Uses { get; set; }

    /// <summary>Never shared: it stays with its session between requests (NTLM authenticated it).</summary>
    public bool Private { get; set; }

    /// <summary>When it last went idle into the pool (Environment.TickCount64).</summary>
    internal long ParkedAt { get; set; }

    /// <summary>Resting in the server's pool; set and cleared by the pool under its lock.</summary>
    internal bool Idle { get; set; }

    /// <summary>
    /// An idle connection may carry a new request when nothing is readable on it: a FIN, a reset or
    /// bytes nobody asked for all mean it must not be used. One poll(), no wait.
    /// </summary>
    public bool IsReusable()
    {
        if (Volatile.Read(ref _disposed) != 0) return false;
        try { return !_socket.Poll(0, SelectMode.SelectRead); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { return false; }
    }

    /// <summary>Gives the receive buffer back to the shared pool while the connection waits idle (no read may be in flight).</summary>
    public void ReleaseBuffer()
    {
        if (ReadInFlight || _buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    private readonly CancellationTokenRegistration _shutdown;

    public Backends.ServerRuntime Server { get; }
    public bool ReadInFlight { get; private set; }
    public bool WriteInFlight { get; private set; }
    public long BytesRead { get; private set; }
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Starts a read. True: it completed at once and <paramref name="result"/> holds the bytes
    /// (empty on FIN) or the error. False: <paramref name="later"/> will get the result.
    /// </summary>
    public bool Read(Action<ChannelRead> later, out ChannelRead result)
    {
        ReadInFlight = true;
        _buffer ??= ArrayPool<byte>.Shared.Rent(_bufferSize);
        ValueTask<int> pending;
        try
        {
            pending = _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            result = new ChannelRead(this, ReadOnlyMemory<byte>.Empty, e);
            return true;
        }
        if (pending.IsCompleted)
        {
            result = ReadResult(pending);
            return true;
        }
        result = default;
        AwaitRead(pending, later);
        return false;
    }

    // A ValueTask is consumed once: either awaited here or read by ReadResult, never both.
    private async void AwaitRead(ValueTask<int> pending, Action<ChannelRead> later)
    {
        int n;
        try
        {
            n = await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            later(new ChannelRead(this, ReadOnlyMemory<byte>.Empty, e));
            return;
        }
        BytesRead += n;
        later(new ChannelRead(this, _buffer!.AsMemory(0, n), null));
    }

    private ChannelRead ReadResult(ValueTask<int> completed)
    {
        try
        {
            int n = completed.GetAwaiter().GetResult();
            BytesRead += n;
            return new ChannelRead(this, _buffer!.AsMemory(0, n), null);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return new ChannelRead(this, ReadOnlyMemory<byte>.Empty, e);
        }
    }

    /// <summary>Marks the read as consumed (the stage copied the bytes out of the shared buffer).</summary>
    public void ReadConsumed()
    {
        ReadInFlight = false;
        if (Volatile.Read(ref _disposed) != 0) ReturnBuffer();
    }

    /// <summary>
    /// Writes all of <paramref name="data"/>. True: done at once, <paramref name="error"/> tells
    /// how it went. False: <paramref name="later"/> will be called when it is done.
    /// </summary>
    public bool Write(ReadOnlyMemory<byte> data, Action<ChannelWrite> later, out Exception? error)
    {
        WriteInFlight = true;
        error = null;
        try
        {
            while (!data.IsEmpty)
            {
                var pending = _socket.SendAsync(data, SocketFlags.None);
                if (!pending.IsCompleted)
                {
                    AwaitWrite(pending, data, later);
                    return false;
                }
                int n = pending.GetAwaiter().GetResult();
                BytesWritten += n;
                data = data[n..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = e;
        }
        WriteInFlight = false;
        return true;
    }

    private async void AwaitWrite(ValueTask<int> pending, ReadOnlyMemory<byte> data, Action<ChannelWrite> later)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                int n = await pending.ConfigureAwait(false);
                BytesWritten += n;
                data = data[n..];
                if (data.IsEmpty) break;
                pending = _socket.SendAsync(data, SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = e;
        }
        WriteInFlight = false;
        later(new ChannelWrite(this, error));
    }

    public void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public void Dispose() => Dispose(idle: false);

    /// <param name="idle">closed by the pool while idle (not counted as a busy connection)</param>
    public void Dispose(bool idle)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _shutdown.Dispose();
        try { _socket.Dispose(); } catch (ObjectDisposedException) { }
        if (!idle) Server.Pool.UsedClosed();
        Server.ConnectionClosed();
        // The backend's h1 module counts server-socket bytes; bin/bout count the client side (per exchange).
        Server.BackendStats?.Add(Stats.Counter.H1BytesOut, BytesWritten);
        Server.BackendStats?.Add(Stats.Counter.H1BytesIn, BytesRead);
        // A buffer that a pending read may still fill goes to the GC, never back to the pool;
        // otherwise it is returned now or when the stage has consumed the last read.
        if (!ReadInFlight) ReturnBuffer();
    }

    // 16 KiB per server connection: at thousands of new connections per second, leaving these
    // to the GC pushed the node's RSS past 300 MB.
    private void ReturnBuffer()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } b) ArrayPool<byte>.Shared.Return(b);
    }
}
