using System.Net;
using System.Text;
using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Actors.Http;

namespace Lb.Actors.Stats;

/// <summary>The stats page's answer: the whole response, whether the connection may stay open, and its status.</summary>
public readonly record struct StatsReply(byte[] Bytes, int Status);

/// <summary>
/// 'stats enable' + 'stats uri' on a proxy: requests whose path starts with the uri are answered
/// by the proxy itself — the HTML page, ';csv', ';json' — behind 'stats auth' (Basic, realm from
/// 'stats realm'), with 'stats refresh', 'hide-version', 'show-legends', 'scope', and, when
/// 'stats admin' allows it, the server actions posted from the page's form.
/// </summary>
public sealed class StatsPage
{
    private readonly byte[] _uri;
    private readonly string _uriText;
    private readonly NodeStats _node;
    private readonly Lb.Config.Model.Proxy _proxy;
    private readonly BasicAuth _auth;
    private readonly AdminGate _admin;

    private StatsPage(Lb.Config.Model.Proxy proxy, NodeStats node)
    {
        _proxy = proxy;
        _uriText = proxy.Stats.Uri;
        _uri = Encoding.ASCII.GetBytes(_uriText);
        _node = node;
        _auth = new BasicAuth(proxy.Stats.Auth);
        _admin = new AdminGate(proxy, node.Backends);
    }

    public static StatsPage? For(Lb.Config.Model.Proxy proxy, NodeStats node) =>
        proxy.Stats.Enabled ? new StatsPage(proxy, node) : null;

    public bool Matches(ReadOnlySpan<byte> pathAndQuery) => pathAndQuery.StartsWith(_uri);

    /// <summary>Bytes of request body the page needs before it can answer (a POST's form), capped at 64 KiB.</summary>
    public static long BodyWanted(RequestHead request) =>
        request.Method == RequestMethod.Post && request.ContentLength is long n and > 0 ? Math.Min(n, 65536) : 0;

    /// <summary>Answers one request (its body, for a POST, already read whole).</summary>
    public StatsReply Respond(RequestHead request, ReadOnlySpan<byte> body, IPAddress client, bool close = true)
    {
        var target = Encoding.Latin1.GetString(request.PathAndQuery);
        if (!_auth.Allows(request.GetValue("authorization")))
            return new StatsReply(Unauthorized(close), 401);
        var rest = target.Length > _uriText.Length ? target[_uriText.Length..] : "";
        var ask = StatsRequest.Parse(rest);
        bool admin = _admin.Configured && _admin.Allows(new Rules.RuleContext(new IPEndPoint(client, 0), null, request));
        if (request.Method == RequestMethod.Post)
        {
            var status = admin ? StatsPageActions.Apply(_node, Encoding.Latin1.GetString(body)) : "DENY";
            return new StatsReply(Redirect(_uriText + ";st=" + status, close), 303);
        }
        var rows = Rows(ask).ToList();
        string text, type;
        switch (ask.Format)
        {
            case StatsFormat.Csv: text = StatsFormats.Csv(rows); type = "text/plain"; break;
            case StatsFormat.Json: text = StatsFormats.Json(rows); type = "application/json"; break;
            case StatsFormat.Typed: text = StatsFormats.Typed(rows); type = "text/plain"; break;
            default: text = StatsHtml.Render(_node, _proxy, rows, ask, admin); type = "text/html"; break;
        }
        var refresh = _proxy.Stats.Refresh is { } r && !ask.NoRefresh ? (long)r.TotalSeconds : 0;
        return new StatsReply(Ok(type, Encoding.UTF8.GetBytes(text), refresh, close), 200);
    }

    /// <summary>The rows the page shows: scope ('stats scope' and ?scope=), ';up', ';no-maint'.</summary>
    private IEnumerable<StatRow> Rows(StatsRequest ask)
    {
        var scopes = _proxy.Stats.Scopes.Select(s => s == "." ? _proxy.Name : s).ToHashSet(StringComparer.Ordinal);
        foreach (var p in _node.Proxies)
        {
            if (scopes.Count > 0 && !scopes.Contains(p.Name)) continue;
            if (ask.Scope is { } sc && !p.Name.Contains(sc, StringComparison.Ordinal)) continue;
            foreach (var row in StatRows.Of(_node, p))
            {
                if (row.Server is { } s)
                {
                    var status = row["status"] ?? "";
                    if (ask.NoMaint && status == "MAINT") continue;
                    if (ask.UpOnly && !(status.StartsWith("UP", StringComparison.Ordinal) || status == "no check")) continue;
                }
                yield return row;
            }
        }
    }

    private byte[] Unauthorized(bool close)
    {
        const string body = "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n";
        var realm = _proxy.Stats.Realm.Replace("\"", "");
        var head = $"HTTP/1.1 401 Unauthorized\r\ncontent-length: {body.Length}\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nwww-authenticate: Basic realm=\"{realm}\"\r\n{(close ? "connection: close\r\n" : "")}\r\n";
        return Encoding.ASCII.GetBytes(head + body);
    }

    private static byte[] Redirect(string location, bool close) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 303 See Other\r\ncache-control: no-cache\r\ncontent-type: text/plain\r\ncontent-length: 0\r\nlocation: {location}\r\n{(close ? "connection: close\r\n" : "")}\r\n");

    private static byte[] Ok(string type, byte[] body, long refresh, bool close)
    {
        var head = new StringBuilder("HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: ").Append(type).Append("\r\n");
        if (refresh > 0) head.Append("refresh: ").Append(refresh).Append("\r\n");
        head.Append("content-length: ").Append(body.Length).Append("\r\n");
        if (close) head.Append("connection: close\r\n");
        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }
}
