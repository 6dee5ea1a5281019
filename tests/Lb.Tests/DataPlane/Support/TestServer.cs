using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Lb.Tests.DataPlane;

/// <summary>
/// A backend server on 127.0.0.1 (port chosen by the kernel) that hands each accepted connection
/// to a handler; the connection is closed when the handler returns. Counts accepts; records
/// handler exceptions (except those caused by disposal). Disposal closes the listener and every
/// open connection and waits (bounded) for the handlers.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<RawConnection, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, (RawConnection Conn, Task Task)> _open = new();
    private readonly Task _acceptLoop;
    private int _accepts;

    private TestServer(string name, Func<RawConnection, Task> handler, int backlog)
    {
        Name = name;
        _handler = handler;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(backlog);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoop);
    }

    public static TestServer Start(string name, Func<RawConnection, Task> handler, int backlog = 512) => new(name, handler, backlog);

    public string Name { get; }
    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";
    public int Accepts => Volatile.Read(ref _accepts);
    public int OpenConnections => _open.Count;
    public ConcurrentQueue<Exception> Errors { get; } = new();

    /// <summary>Waits until at least <paramref name="count"/> connections were accepted; false on timeout.</summary>
    public async Task<bool> WaitForAcceptsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Accepts < count)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10);
        }
        return true;
    }

    private async Task AcceptLoop()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Errors.Enqueue(e);
                continue;
            }
            s.NoDelay = true;
            int index = Interlocked.Increment(ref _accepts);
            var conn = new RawConnection(s, index, token) { ServerName = Name };
            var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _open[index] = (conn, run.Task);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(conn);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    Errors.Enqueue(e);
                }
                catch (Exception)
                {
                    // stopping: handlers fail as their sockets close
                }
                finally
                {
                    conn.Dispose();
                    _open.TryRemove(index, out _);
                    run.TrySetResult();
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var (conn, _) in _open.Values) conn.Dispose();
        var tasks = _open.Values.Select(v => v.Task).Append(_acceptLoop).ToArray();
        try { await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception) { /* best effort: sockets are closed already */ }
        _stop.Dispose();
    }

    public override string ToString() => $"{Name}@{Address}";
}
