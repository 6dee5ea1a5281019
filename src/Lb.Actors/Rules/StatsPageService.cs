using Lb.Actors.Http;
using Lb.Actors.Stats;

namespace Lb.Actors.Rules;

/// <summary>
/// 'stats enable' + 'stats uri' as a service: HAProxy checks the stats URI after the proxy's
/// http-request rules and before its redirects; requests under the URI are answered by the page.
/// </summary>
internal sealed class StatsPageService(StatsPage page) : IHttpService
{
    public bool Matches(RequestHead request) => page.Matches(request.PathAndQuery);

    public byte[] Respond(in RuleContext ctx, ConnectionHeader connection, out bool close)
    {
        // The page says "connection: close" itself and the session closes after it.
        close = true;
        return page.Respond();
    }
}
