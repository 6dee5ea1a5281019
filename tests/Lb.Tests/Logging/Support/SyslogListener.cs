using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lb.Tests.Logging;

/// <summary>
/// A syslog server on 127.0.0.1 (UDP, port chosen by the kernel) that keeps every datagram it
/// receives as a Latin-1 string. Disposal closes the socket and ends the receive loop.
/// </summary>
public sealed class SyslogListener : IDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _loop;

    public SyslogListener()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _loop = Task.Run(ReceiveLoop);
    }

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";

    public IReadOnlyList<string> Lines => _lines.ToArray();

    private async Task ReceiveLoop()
    {
        var buffer = new byte[70000];
        while (true)
        {
            int n;
            try { n = await _socket.ReceiveAsync(buffer, SocketFlags.None); }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { return; }
            _lines.Enqueue(Encoding.Latin1.GetString(buffer, 0, n));
        }
    }

    /// <summary>Waits until <paramref name="count"/> datagrams matching <paramref name="match"/> arrived; returns them.</summary>
    public async Task<List<string>> WaitForAsync(int count, TimeSpan timeout, Func<string, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var got = _lines.Where(l => match?.Invoke(l) ?? true).ToList();
            if (got.Count >= count) return got;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{got.Count} of {count} syslog lines within {timeout}:\n{string.Join("", _lines)}");
            await Task.Delay(20);
        }
    }

    /// <summary>True when nothing matching arrives within <paramref name="window"/>.</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan window, Func<string, bool> match)
    {
        await Task.Delay(window);
        return !_lines.Any(match);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(2));
    }
}
