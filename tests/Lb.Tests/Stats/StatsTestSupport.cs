using System.Net;
using System.Net.Sockets;
using System.Text;
using Lb.Tests.DataPlane;

namespace Lb.Tests.Stats;

/// <summary>Small clients for the stats tests: one HTTP exchange per connection, one CLI command per connection.</summary>
public static class StatsTestSupport
{
    /// <summary>Sends raw bytes on a new connection and returns everything until the proxy closes (bounded by time).</summary>
    public static async Task<string> ExchangeAsync(int port, string request, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, cts.Token);
        var text = new StringBuilder();
        var buf = new byte[16384];
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                if (n == 0) break;
                text.Append(Encoding.Latin1.GetString(buf, 0, n));
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        return text.ToString();
    }

    public static string Get(string target, string extra = "") => $"GET {target} HTTP/1.1\r\nHost: test\r\n{extra}Connection: close\r\n\r\n";

    /// <summary>One command line on a stats socket; the whole answer (the socket closes after it).</summary>
    public static async Task<string> CliAsync(string path, string line, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes(line + "\n"), SocketFlags.None, cts.Token);
        var text = new StringBuilder();
        var buf = new byte[65536];
        while (true)
        {
            int n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buf, 0, n));
        }
        return text.ToString();
    }

    /// <summary>Rows of a 'show stat' CSV by (pxname, svname), each a field-name → value map.</summary>
    public static (string[] Header, Dictionary<(string, string), Dictionary<string, string>> Rows) ParseCsv(string csv)
    {
        var lines = csv.Split('\n');
        var header = lines[0].TrimStart('#', ' ').TrimEnd(',').Split(',');
        var rows = new Dictionary<(string, string), Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var values = line.Split(',');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length && i < values.Length; i++) row[header[i]] = values[i];
            rows[(values[0], values[1])] = row;
        }
        return (header, rows);
    }

    /// <summary>An HTTP/1.1 backend (X-Server: its name): 404 for paths containing "missing", else 200 with a fixed body; closes when asked.</summary>
    public static async Task Backend(RawConnection c)
    {
        for (int k = 0; k < 1000; k++)
        {
            var req = await c.ReadRequestAsync(TimeSpan.FromSeconds(10));
            if (req is null) return;
            var status = req.Target.Contains("missing") ? "404 Not Found" : "200 OK";
            await c.SendAsync($"HTTP/1.1 {status}\r\nX-Server: {c.ServerName}\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
            if (req.ConnectionHas("close")) return;
        }
    }

    /// <summary>A free loopback TCP port (nothing listens on it afterwards).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return await condition();
    }
}
