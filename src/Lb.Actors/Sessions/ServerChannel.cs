using System.Buffers;
using System.Net.Sockets;

namespace Lb.Actors.Sessions;

/// <summary>
/// The server side of an HTTP session: one connected socket with at most one read and one write
/// in flight. Completions are handed to callbacks that the owning stage wraps with
/// GetAsyncCallback, so all state stays on the stage's thread.
/// </summary>
internal sealed class ServerChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private int _disposed;

    public ServerChannel(Socket socket, Backends.ServerRuntime server, int bufferSize)
    {
        _socket = socket;
        Server = server;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _shutdown = server.ShutdownToken.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket); // on-marked-down shutdown-sessions
    }

    private readonly CancellationTokenRegistration _shutdown;

    public Backends.ServerRuntime Server { get; }
    public bool ReadInFlight { get; private set; }
    public bool WriteInFlight { get; private set; }
    public long BytesRead { get; private set; }
    public long BytesWritten { get; private set; }

    /// <summary>Starts a read; the callback gets the bytes (empty on FIN) or the exception.</summary>
    public async void Read(Action<(ReadOnlyMemory<byte> Data, Exception? Error)> done)
    {
        ReadInFlight = true;
        try
        {
            int n = await _socket.ReceiveAsync(_buffer, SocketFlags.None).ConfigureAwait(false);
            BytesRead += n;
            done((_buffer.AsMemory(0, n), null));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            done((ReadOnlyMemory<byte>.Empty, e));
        }
    }

    /// <summary>Marks the read as consumed (the stage copied the bytes out of the shared buffer).</summary>
    public void ReadConsumed() => ReadInFlight = false;

    public async void Write(ReadOnlyMemory<byte> data, Action<Exception?> done)
    {
        WriteInFlight = true;
        try
        {
            while (!data.IsEmpty)
            {
                int n = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
                BytesWritten += n;
                data = data[n..];
            }
            WriteInFlight = false;
            done(null);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            WriteInFlight = false;
            done(e);
        }
    }

    public void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _shutdown.Dispose();
        try { _socket.Dispose(); } catch (ObjectDisposedException) { }
        Server.ConnectionClosed();
        Server.AddBytesIn(BytesWritten);
        Server.AddBytesOut(BytesRead);
        // The buffer may still be the target of a pending read: let the GC have it rather than the pool.
    }
}
