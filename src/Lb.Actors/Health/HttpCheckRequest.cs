using System.Text;
using Lb.Config.Model;

namespace Lb.Actors.Health;

/// <summary>
/// Builds the bytes of a layer-7 check request the way haproxy 2.6 writes them: the request
/// line, header names in lower case, the optional X-Haproxy-Server-State header, a
/// content-length for a body, and 'connection: close' on HTTP/1.1. "OPTIONS / HTTP/1.0" with
/// nothing else by default.
/// </summary>
public static class HttpCheckRequest
{
    /// <param name="state">the send-state header value, or null without 'http-check send-state'</param>
    public static byte[] Build(HttpCheckSettings s, string? state)
    {
        var sb = new StringBuilder(128);
        sb.Append(s.Method).Append(' ').Append(s.Uri).Append(' ').Append(s.Version).Append("\r\n");
        foreach (var (name, value) in s.Headers)
            sb.Append(name.ToLowerInvariant()).Append(": ").Append(value).Append("\r\n");
        if (state != null) sb.Append("x-haproxy-server-state: ").Append(state).Append("\r\n");
        var body = s.Body is null ? null : Encoding.UTF8.GetBytes(s.Body);
        if (body != null) sb.Append("content-length: ").Append(body.Length).Append("\r\n");
        if (s.Version.Equals("HTTP/1.1", StringComparison.OrdinalIgnoreCase)) sb.Append("connection: close\r\n");
        sb.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(sb.ToString());
        return body is null ? head : [.. head, .. body];
    }

    /// <summary>
    /// The X-Haproxy-Server-State value: "UP 2/3; address=A; port=P; name=be/srv; node=N;
    /// weight=W/TOTAL; scur=S/BECONN; qcur=Q".
    /// </summary>
    public static string StateHeader(string status, string address, int port, string backend, string server, string node,
        int weight, int totalWeight, long serverConns, long backendConns, long queued) =>
        $"{status}; address={address}; port={port}; name={backend}/{server}; node={node}; weight={weight}/{totalWeight}; scur={serverConns}/{backendConns}; qcur={queued}";

    /// <summary>'check-send-proxy': the PROXY v1 line for the check connection's own addresses.</summary>
    public static byte[] ProxyLine(System.Net.IPEndPoint local, System.Net.IPEndPoint remote)
    {
        var family = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "TCP6" : "TCP4";
        return Encoding.ASCII.GetBytes($"PROXY {family} {local.Address} {remote.Address} {local.Port} {remote.Port}\r\n");
    }
}
