using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Actors.Rules;

namespace Lb.Actors.Stats.Prometheus;

/// <summary>
/// 'http-request use-service prometheus-exporter': answers the request with the node's metrics
/// (<see cref="PromExporter"/>) the way haproxy 2.6's exporter does: 200, "cache-control:
/// no-cache", "content-type: text/plain; version=0.0.4", a chunked body (also to HTTP/1.0
/// clients, as haproxy), no body for HEAD, and haproxy's 400 page, connection closed, for a
/// query string it cannot parse. The request counts as intercepted on the frontend, its status
/// in the frontend's hrsp_* once answered. Runs on the session's thread: it reads the live
/// counters, writes into a pooled buffer and never waits.
/// </summary>
public sealed class PrometheusService(BackendRegistry backends) : IHttpService
{
    public const string Name = "prometheus-exporter";

    public string? LogName => "<PROMEX>";

    private static readonly byte[][] Heads =
    [
        Head(ConnectionHeader.None), Head(ConnectionHeader.Close), Head(ConnectionHeader.KeepAlive),
    ];

    private static byte[] Head(ConnectionHeader c) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: text/plain; version=0.0.4\r\ntransfer-encoding: chunked\r\n"
        + c switch { ConnectionHeader.Close => "connection: close\r\n", ConnectionHeader.KeepAlive => "connection: keep-alive\r\n", _ => "" }
        + "\r\n");

    public byte[] Respond(in RuleContext ctx, ConnectionHeader connection, out bool close)
    {
        var fe = ctx.Frontend;
        fe?.Counters.Increment(Counter.Intercepted);
        var request = ctx.Request!;
        if (PromQuery.Parse(request.PathAndQuery) is not { } query)
        {
            close = true;
            fe?.CountStatus(400);
            return ErrorPages.Get(400, ConnectionHeader.Close);
        }
        close = connection == ConnectionHeader.Close;
        var bytes = Render(NodeStats.Standalone(backends), query, connection, head: request.Method == RequestMethod.Head);
        fe?.CountStatus(200);
        return bytes;
    }

    /// <summary>The whole response: head, then the exposition text as one chunk and the last chunk.</summary>
    public static byte[] Render(NodeStats node, PromQuery query, ConnectionHeader connection, bool head = false)
    {
        var start = Heads[(int)connection];
        if (head) return start;
        using var text = new PromText();
        PromExporter.Write(text, node, query);
        Span<byte> size = stackalloc byte[16];
        int sizeLength = 0;
        if (text.Length > 0)
        {
            text.Length.TryFormat(size, out sizeLength, "X");
            size[sizeLength++] = (byte)'\r';
            size[sizeLength++] = (byte)'\n';
        }
        int total = start.Length + sizeLength + text.Length + (text.Length > 0 ? 2 : 0) + 5;
        var bytes = new byte[total];
        var dst = bytes.AsSpan();
        start.CopyTo(dst);
        dst = dst[start.Length..];
        size[..sizeLength].CopyTo(dst);
        dst = dst[sizeLength..];
        if (text.Length > 0)
        {
            text.Written.CopyTo(dst);
            dst = dst[text.Length..];
            "\r\n"u8.CopyTo(dst);
            dst = dst[2..];
        }
        "0\r\n\r\n"u8.CopyTo(dst);
        return bytes;
    }

    /// <summary>The exposition text alone (tests).</summary>
    public static string Text(NodeStats node, PromQuery query)
    {
        using var text = new PromText();
        PromExporter.Write(text, node, query);
        return Encoding.UTF8.GetString(text.Written);
    }
}
