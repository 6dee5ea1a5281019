using System.Net.Sockets;
using System.Text;

namespace Lb.Tests.Health;

/// <summary>One HTTP/1.0 request (so that no answer comes chunked) through the proxy; reads until the close.</summary>
public static class Http
{
    public static async Task<(int Status, string Body)> GetAsync(int port, string path = "/")
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await s.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), cts.Token);
        await s.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: test\r\n\r\n"), SocketFlags.None, cts.Token);
        var ms = new MemoryStream();
        var buf = new byte[16384];
        while (true)
        {
            int n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            if (n == 0) break;
            ms.Write(buf, 0, n);
        }
        var text = Encoding.Latin1.GetString(ms.ToArray());
        int status = text.Length > 12 && int.TryParse(text.AsSpan(9, 3), out var st) ? st : -1;
        int bodyAt = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (bodyAt < 0) return (status, "");
        var body = text[(bodyAt + 4)..];
        // haproxy's stats page comes chunked even to HTTP/1.0 clients.
        if (text[..bodyAt].Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return (status, body);
    }

    private static string Dechunk(string chunked)
    {
        var sb = new StringBuilder();
        int at = 0;
        while (at < chunked.Length)
        {
            int eol = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (eol < 0) break;
            int size = Convert.ToInt32(chunked[at..eol].Split(';')[0].Trim(), 16);
            if (size == 0) break;
            sb.Append(chunked, eol + 2, size);
            at = eol + 2 + size + 2;
        }
        return sb.ToString();
    }

    /// <summary>How many of <paramref name="n"/> requests each server answered; failures count under "status NNN".</summary>
    public static async Task<Dictionary<string, int>> TallyAsync(int port, int n)
    {
        var tally = new Dictionary<string, int>();
        for (int i = 0; i < n; i++)
        {
            var (status, body) = await GetAsync(port);
            var key = status == 200 ? body : $"status {status}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
        }
        return tally;
    }

    /// <summary>The 'status' column of backend/server in the stats CSV at /stats;csv.</summary>
    public static async Task<Dictionary<string, string>> StatsRowAsync(int statsPort, string backend, string server)
    {
        var (status, body) = await GetAsync(statsPort, "/stats;csv");
        if (status != 200) throw new InvalidOperationException($"stats: HTTP {status}");
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f[0] == backend && f[1] == server)
                return header.Zip(f).Where(p => p.First.Length > 0).ToDictionary(p => p.First, p => p.Second);
        }
        throw new InvalidOperationException($"no stats row for {backend}/{server}");
    }

    /// <summary>Polls until the server's status satisfies <paramref name="want"/>; the elapsed time, or null on timeout.</summary>
    public static async Task<TimeSpan?> WaitStatusAsync(int statsPort, string backend, string server, Func<string, bool> want, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var row = await StatsRowAsync(statsPort, backend, server);
            if (want(row["status"])) return clock.Elapsed;
            await Task.Delay(10);
        }
        return null;
    }
}
