using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lb.Tests.Health;

/// <summary>
/// A small HTTP backend on 127.0.0.1 that can be stopped and started again on the same port
/// (the listener closes: connections are refused). /health answers <see cref="HealthStatus"/>;
/// every other request <see cref="TrafficStatus"/> (200) with the server's name as the body. One request per connection.
/// </summary>
public sealed class HealthBackend : IAsyncDisposable
{
    private Socket? _listener;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private int _healthStatus = 200;

    private HealthBackend(string name) => Name = name;

    public string Name { get; }
    public int Port { get; private set; }
    public string Address => $"127.0.0.1:{Port}";
    public bool Running => _listener != null;

    public int HealthStatus { get => Volatile.Read(ref _healthStatus); set => Volatile.Write(ref _healthStatus, value); }

    private int _trafficStatus = 200;

    /// <summary>The status of every answer but /health (the body is the server's name either way).</summary>
    public int TrafficStatus { get => Volatile.Read(ref _trafficStatus); set => Volatile.Write(ref _trafficStatus, value); }

    /// <summary>Request heads of the health checks received, oldest first.</summary>
    public ConcurrentQueue<string> Checks { get; } = new();

    public static HealthBackend Start(string name)
    {
        var b = new HealthBackend(name);
        b.Listen(0);
        return b;
    }

    public void Restart()
    {
        if (_listener != null) return;
        Listen(Port);
    }

    private void Listen(int port)
    {
        var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        l.Bind(new IPEndPoint(IPAddress.Loopback, port));
        l.Listen(128);
        Port = ((IPEndPoint)l.LocalEndPoint!).Port;
        _listener = l;
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => AcceptLoop(l, _stop.Token));
    }

    /// <summary>Closes the listener: new connections are refused until <see cref="Restart"/>.</summary>
    public async Task StopAsync()
    {
        if (_listener is null) return;
        _stop!.Cancel();
        _listener.Dispose();
        _listener = null;
        try { await _loop!.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
        _stop.Dispose();
    }

    private async Task AcceptLoop(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket s;
            try { s = await listener.AcceptAsync(ct); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(s, ct));
        }
    }

    private async Task Serve(Socket s, CancellationToken ct)
    {
        using var _ = s;
        try
        {
            var buf = new byte[8192];
            int len = 0;
            string head;
            while (true)
            {
                int n = await s.ReceiveAsync(buf.AsMemory(len), SocketFlags.None, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
                if (n == 0) return;
                len += n;
                head = Encoding.Latin1.GetString(buf, 0, len);
                if (head.Contains("\r\n\r\n")) break;
                if (len == buf.Length) return;
            }
            var path = head.Split(' ', 3) is { Length: 3 } parts ? parts[1] : "";
            string response;
            if (path == "/health")
            {
                Checks.Enqueue(head[..head.IndexOf("\r\n\r\n", StringComparison.Ordinal)]);
                int status = HealthStatus;
                response = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            }
            else
            {
                int status = TrafficStatus;
                response = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Length: {Name.Length}\r\nConnection: close\r\n\r\n{Name}";
            }
            await s.SendAsync(Encoding.Latin1.GetBytes(response), SocketFlags.None, ct);
            s.Shutdown(SocketShutdown.Send);
        }
        catch (Exception) { /* client gone or stopping */ }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync() => await StopAsync();
}
