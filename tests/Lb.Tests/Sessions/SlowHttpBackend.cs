using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lb.Tests.Sessions;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 that answers every request after a fixed delay and
/// records how many requests it handled at once.
/// </summary>
internal sealed class SlowHttpBackend : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private int _active;
    private int _maxActive;

    public SlowHttpBackend(TimeSpan delay)
    {
        _delay = delay;
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int MaxConcurrent => Volatile.Read(ref _maxActive);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buf = new byte[8192];
        var head = new StringBuilder();
        try
        {
            while (true)
            {
                head.Clear();
                while (!head.ToString().Contains("\r\n\r\n"))
                {
                    int n = await stream.ReadAsync(buf, _stop.Token);
                    if (n == 0) return;
                    head.Append(Encoding.Latin1.GetString(buf, 0, n));
                }
                var now = Interlocked.Increment(ref _active);
                int max;
                while (now > (max = Volatile.Read(ref _maxActive)) && Interlocked.CompareExchange(ref _maxActive, now, max) != max) { }
                await Task.Delay(_delay, _stop.Token);
                Interlocked.Decrement(ref _active);
                var body = "ok\n";
                await stream.WriteAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
