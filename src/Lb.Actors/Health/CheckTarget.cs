using System.Net;
using Lb.Config.Model;

namespace Lb.Actors.Health;

/// <summary>
/// Where and how one server is probed: the check address ('addr'/'port' or the server's own),
/// the connect and read timeouts, and the layer-7 request when 'option httpchk' is on.
/// </summary>
/// <param name="ReadCountsFromStart">no 'timeout check': the read time limit covers the whole check, connect included</param>
public sealed record CheckTarget(IPEndPoint EndPoint, TimeSpan ConnectTimeout, TimeSpan ReadTimeout, HttpCheckSettings? Http, bool SendProxy,
    bool ReadCountsFromStart = false)
{
    /// <summary>
    /// haproxy's rule: without 'timeout check' the whole check must fit in 'inter'; with it,
    /// connecting may take min('timeout connect', 'inter') and reading 'timeout check' more.
    /// Null when the server has no usable check address.
    /// </summary>
    public static CheckTarget? For(Server server, IPEndPoint? serverEndPoint, Proxy backend)
    {
        IPAddress? ip = server.CheckAddr is { } a && IPAddress.TryParse(a, out var parsed) ? parsed : serverEndPoint?.Address;
        int port = server.CheckPort ?? serverEndPoint?.Port ?? 0;
        if (ip is null || port <= 0) return null;
        var inter = server.Inter > TimeSpan.Zero ? server.Inter : TimeSpan.FromSeconds(2);
        var check = backend.Timeouts.Check;
        var connect = check is null ? inter : Min(backend.Timeouts.Connect ?? inter, inter);
        var read = check ?? inter;
        return new CheckTarget(new IPEndPoint(ip, port), connect, read,
            backend.HttpCheck.Enabled ? backend.HttpCheck : null, server.CheckSendProxy, ReadCountsFromStart: check is null);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
