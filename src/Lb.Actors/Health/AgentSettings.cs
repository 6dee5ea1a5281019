using System.Globalization;
using System.Net;
using System.Text;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Actors.Health;

/// <summary>
/// A server's agent check ('agent-check', 'agent-port', 'agent-addr', 'agent-inter', 'agent-send'):
/// where it connects and what it sends. The config parser keeps these keywords in the server's
/// other options; null when the server has no agent check (or no port for it).
/// </summary>
public sealed record AgentSettings(IPAddress? Address, int Port, TimeSpan Inter, byte[] Send)
{
    public static AgentSettings? For(Server server)
    {
        var o = server.OtherOptions;
        if (!o.ContainsKey("agent-check") || o.ContainsKey("no-agent-check")) return null;
        if (!o.TryGetValue("agent-port", out var p) || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
            return null;
        IPAddress? addr = o.TryGetValue("agent-addr", out var a) && IPAddress.TryParse(a, out var ip) ? ip : null;
        var inter = o.TryGetValue("agent-inter", out var i) && TimeParser.TryParse(i, "agent-inter", out var t) is null && t > TimeSpan.Zero ? t
            : server.Inter > TimeSpan.Zero ? server.Inter : TimeSpan.FromSeconds(2);
        var send = o.TryGetValue("agent-send", out var s) ? Encoding.Latin1.GetBytes(s) : [];
        return new AgentSettings(addr, port, inter, send);
    }

    /// <summary>The agent's address: 'agent-addr', else the server's address.</summary>
    public IPEndPoint? EndPoint(IPEndPoint? server) => (Address ?? server?.Address) is { } ip ? new IPEndPoint(ip, Port) : null;
}
