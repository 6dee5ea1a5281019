using System.Text;
using Lb.Actors.Backends;

namespace Lb.Actors.Stats;

/// <summary>
/// 'stats enable' + 'stats uri' on a proxy: requests whose path starts with the uri are answered
/// by the proxy itself. Only the CSV form (';csv') exists so far; the stats issue adds the HTML
/// page, auth, admin and refresh.
/// </summary>
public sealed class StatsPage
{
    private readonly byte[] _uri;
    private readonly BackendRegistry _backends;

    private StatsPage(string uri, BackendRegistry backends)
    {
        _uri = Encoding.ASCII.GetBytes(uri);
        _backends = backends;
    }

    public static StatsPage? For(Lb.Config.Model.Proxy proxy, BackendRegistry backends) =>
        proxy.Stats.Enabled ? new StatsPage(proxy.Stats.Uri, backends) : null;

    public bool Matches(ReadOnlySpan<byte> pathAndQuery) => pathAndQuery.StartsWith(_uri);

    /// <summary>The whole response; the connection closes after it.</summary>
    public byte[] Respond()
    {
        var body = Encoding.UTF8.GetBytes(StatsCsv.Render(_backends));
        var head = $"HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: text/plain\r\ncontent-length: {body.Length}\r\nconnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
