using Lb.Actors.Http;
using Lb.Actors.Stats;

namespace Lb.Actors.Rules;

/// <summary>
/// 'stats enable' + 'stats uri' as a service: HAProxy checks the stats URI after the proxy's
/// http-request rules and before its redirects; requests under the URI are answered by the page.
/// </summary>
internal sealed class StatsPageService(StatsPage page) : IHttpService
{
    public string? LogName => "<STATS>";

    public bool Matches(RequestHead request) => page.Matches(request.PathAndQuery);

    public byte[] Respond(in RuleContext ctx, ConnectionHeader connection, out bool close)
    {
        // An HTTP/1.1 keep-alive client keeps its connection (no Connection header); otherwise the
        // page says "connection: close" and the session closes after it. Admin actions (POST,
        // with a form body) are answered by the session itself (HttpSessionStage.Stats.cs).
        close = connection != ConnectionHeader.None;
        ctx.Frontend?.Counters.Increment(Counter.Intercepted);
        var reply = page.Respond(ctx.Request!, ReadOnlySpan<byte>.Empty, ctx.Client?.Address ?? System.Net.IPAddress.None, close);
        ctx.Frontend?.CountStatus(reply.Status);
        return reply.Bytes;
    }
}
