using System.Globalization;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Stats.Prometheus;

/// <summary>A scrape over a real socket, and the exposition text taken apart.</summary>
public static class PromTestSupport
{
    /// <summary>One sample line: its key (name and labels, as written) and its value.</summary>
    public readonly record struct Sample(string Name, string Key, string Value);

    /// <summary>GET (or another method) on a new connection; the response head and the de-chunked body.</summary>
    public static async Task<(string Head, string Body)> ScrapeAsync(int port, string target, string method = "GET")
    {
        var raw = await ExchangeAsync(port, $"{method} {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        int end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, "no response head: " + raw);
        var head = raw[..(end + 4)];
        var rest = raw[(end + 4)..];
        if (!head.Contains("transfer-encoding: chunked", StringComparison.Ordinal) || method == "HEAD") return (head, rest);
        var body = new System.Text.StringBuilder();
        for (int guard = 0; guard < 100_000; guard++)
        {
            int eol = rest.IndexOf("\r\n", StringComparison.Ordinal);
            Assert.True(eol > 0, "truncated chunk size");
            int size = int.Parse(rest[..eol], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) break;
            body.Append(rest, eol + 2, size);
            Assert.Equal("\r\n", rest.Substring(eol + 2 + size, 2));
            rest = rest[(eol + 4 + size)..];
        }
        return (head, body.ToString());
    }

    /// <summary>The '# HELP' and '# TYPE' lines, in order.</summary>
    public static List<string> Headers(string body) => body.Split('\n').Where(l => l.StartsWith('#')).ToList();

    public static List<Sample> Samples(string body)
    {
        var list = new List<Sample>();
        foreach (var line in body.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            int space = line.LastIndexOf(' ');
            var key = line[..space];
            int brace = key.IndexOf('{');
            list.Add(new Sample(brace < 0 ? key : key[..brace], key, line[(space + 1)..]));
        }
        return list;
    }

    /// <summary>The value of one sample, by its exact key (e.g. haproxy_server_status{proxy="bk",server="s1",state="UP"}).</summary>
    public static string Value(string body, string key) =>
        Samples(body).Where(s => s.Key == key).Select(s => s.Value).SingleOrDefault() ?? throw new KeyNotFoundException(key);
}
