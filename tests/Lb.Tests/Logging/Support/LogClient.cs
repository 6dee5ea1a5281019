using System.Net.Sockets;
using Lb.Tests.DataPlane;

namespace Lb.Tests.Logging;

/// <summary>Client behaviours of the log tests: each returns once its exchange is over.</summary>
public static class LogClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Sends raw request bytes, reads until the proxy closes, returns what came back.</summary>
    public static async Task<string> ExchangeAsync(int port, string request)
    {
        using var c = await RawConnection.ConnectAsync(port);
        await c.SendAsync(request);
        var (data, _) = await c.ReadUntilCloseAsync(Timeout);
        return Bytes.Latin1(data);
    }

    public static Task<string> GetAsync(int port, string target, string headers = "") =>
        ExchangeAsync(port, $"GET {target} HTTP/1.1\r\nHost: test\r\n{headers}Connection: close\r\n\r\n");

    /// <summary>Several requests on one keep-alive connection, each answer read before the next request.</summary>
    public static async Task KeepAliveAsync(int port, params string[] targets)
    {
        using var c = await RawConnection.ConnectAsync(port);
        foreach (var t in targets)
        {
            await c.SendAsync($"GET {t} HTTP/1.1\r\nHost: test\r\n\r\n");
            await c.ReadResponseAsync("GET", Timeout);
        }
    }

    /// <summary>Sends <paramref name="partial"/> (possibly nothing), waits, then closes without reading.</summary>
    public static async Task AbandonAsync(int port, string partial)
    {
        using var c = await RawConnection.ConnectAsync(port);
        if (partial.Length > 0) await c.SendAsync(partial);
        await Task.Delay(100);
        c.Socket.Shutdown(SocketShutdown.Both);
    }

    /// <summary>TCP: sends a line to an echo server, reads it back, closes.</summary>
    public static async Task EchoAsync(int port, string line)
    {
        using var c = await RawConnection.ConnectAsync(port);
        await c.SendAsync(line);
        await c.ReadExactAsync(line.Length, Timeout);
        c.ShutdownSend();
        await c.ReadUntilCloseAsync(Timeout);
    }

    /// <summary>TCP: connects and waits for the proxy to close (its server refused).</summary>
    public static async Task RefusedAsync(int port)
    {
        using var c = await RawConnection.ConnectAsync(port);
        await c.ReadUntilCloseAsync(Timeout);
    }
}
