using System.Net;
using System.Net.Sockets;

namespace Lb.Config.Values;

/// <summary>
/// Parses HAProxy address syntax: "1.2.3.4:80", "*:80", ":80", "[::1]:80", ":::80",
/// "host:80-90", comma lists for bind, "unix@/path" or "/path", "abns@name", "fd@3", and the
/// family prefixes ipv4@, ipv6@, tcp@, tcp4@, tcp6@, udp@, udp4@, udp6@. Hostnames are kept as
/// text and resolved by the runtime.
/// </summary>
public static class AddressParser
{
    private static readonly string[] IpPrefixes = { "ipv4", "ipv6", "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "quic4", "quic6" };

    /// <summary>Bind address list: every element needs a port (or is a socket path).</summary>
    public static string? TryParseBind(string text, List<Endpoint> result)
    {
        result.Clear();
        if (text.Length == 0) return "missing address";
        foreach (var part in text.Split(','))
        {
            var err = TryParseOne(part, isBind: true, out var ep);
            if (err != null) return err;
            result.Add(ep!);
        }
        return null;
    }

    /// <summary>Server address: the port is optional, may be relative (+N / -N), no ranges.</summary>
    public static string? TryParseServer(string text, out Endpoint? endpoint) =>
        TryParseOne(text, isBind: false, out endpoint);

    /// <summary>Plain "addr[:port]" used by 'source', 'addr', 'log' and friends.</summary>
    public static string? TryParseOptionalPort(string text, out Endpoint? endpoint) =>
        TryParseOne(text, isBind: false, out endpoint);

    private static string? TryParseOne(string text, bool isBind, out Endpoint? ep)
    {
        ep = null;
        if (text.Length == 0) return "missing address";
        string? protocol = null;
        string rest = text;
        int at = text.IndexOf('@');
        if (at > 0)
        {
            protocol = text[..at].ToLowerInvariant();
            rest = text[(at + 1)..];
            switch (protocol)
            {
                case "unix" or "uxst" or "uxdg":
                    if (rest.Length == 0) return $"missing path in '{text}'";
                    ep = new Endpoint(EndpointKind.Unix, text, rest, null, 0, 0, Protocol: protocol);
                    return null;
                case "abns":
                    ep = new Endpoint(EndpointKind.Abstract, text, rest, null, 0, 0, Protocol: protocol);
                    return null;
                case "fd":
                    if (!IntParser.TryParse(rest, out _)) return $"invalid file descriptor in '{text}'";
                    ep = new Endpoint(EndpointKind.FileDescriptor, text, rest, null, 0, 0, Protocol: protocol);
                    return null;
                case "sockpair":
                    ep = new Endpoint(EndpointKind.SocketPair, text, rest, null, 0, 0, Protocol: protocol);
                    return null;
                default:
                    if (Array.IndexOf(IpPrefixes, protocol) < 0) return $"unknown address family '{protocol}@' in '{text}'";
                    break;
            }
        }
        else if (text.StartsWith('/'))
        {
            ep = new Endpoint(EndpointKind.Unix, text, text, null, 0, 0, Protocol: "unix");
            return null;
        }

        SplitHostPort(rest, out var host, out var portText, out var hadColon);
        if (!hadColon)
        {
            if (isBind) return $"missing port number: '{text}'";
            portText = "";
        }

        int port = 0, portEnd = 0;
        bool offset = false;
        if (portText.Length > 0)
        {
            if (!isBind && (portText[0] == '+' || portText[0] == '-'))
            {
                offset = true;
                if (!IntParser.TryParseInRange(portText[1..], 0, 65535, out port)) return $"invalid port '{portText}'";
                if (portText[0] == '-') port = -port;
                portEnd = port;
            }
            else
            {
                var dash = isBind ? portText.IndexOf('-') : -1;
                var lowText = dash < 0 ? portText : portText[..dash];
                if (!IntParser.TryParseInRange(lowText, isBind ? 1 : 0, 65535, out port))
                    return $"invalid port '{lowText}'";
                portEnd = port;
                if (dash >= 0 && (!IntParser.TryParseInRange(portText[(dash + 1)..], 1, 65535, out portEnd) || portEnd < port))
                    return $"invalid port range '{portText}'";
            }
        }
        else if (isBind) return $"missing port number: '{text}'";

        var family = protocol switch { "ipv4" or "tcp4" or "udp4" or "quic4" => AddressFamily.InterNetwork, "ipv6" or "tcp6" or "udp6" or "quic6" => AddressFamily.InterNetworkV6, _ => AddressFamily.Unspecified };
        IPAddress? ip;
        EndpointKind kind = EndpointKind.Ip;
        if (host.Length == 0 || host == "*")
            ip = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        else if (IPAddress.TryParse(host, out var parsed) && LooksLikeIp(host))
        {
            ip = parsed;
            if (family != AddressFamily.Unspecified && ip.AddressFamily != family)
                return $"address '{host}' does not match the '{protocol}@' family";
        }
        else if (IsHostname(host))
        {
            ip = null;
            kind = EndpointKind.Hostname;
        }
        else return $"invalid address: '{host}' in '{text}'";

        ep = new Endpoint(kind, text, host, ip, port, portEnd, offset, protocol);
        return null;
    }

    // "[v6]:port", "v4:port", "::1:80" (last colon splits), "host".
    private static void SplitHostPort(string s, out string host, out string port, out bool hadColon)
    {
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']');
            if (close > 0)
            {
                host = s[1..close];
                var after = s[(close + 1)..];
                hadColon = after.StartsWith(':');
                port = hadColon ? after[1..] : after;
                return;
            }
        }
        int colon = s.LastIndexOf(':');
        hadColon = colon >= 0;
        host = colon >= 0 ? s[..colon] : s;
        port = colon >= 0 ? s[(colon + 1)..] : "";
    }

    // IPAddress.TryParse accepts "1" or "1.2" as IPv4; HAProxy wants dotted quads or IPv6.
    private static bool LooksLikeIp(string host) =>
        host.Contains(':') || host.Count(c => c == '.') == 3 && host.All(c => char.IsAsciiDigit(c) || c == '.');

    private static bool IsHostname(string host)
    {
        if (host.Length > 253) return false;
        foreach (var label in host.Split('.'))
        {
            if (label.Length == 0 || label.Length > 63) return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')) return false;
        }
        // All-numeric names like "300.1.1.1" or "12" are broken addresses, not hostnames.
        return !host.All(c => char.IsAsciiDigit(c) || c == '.');
    }
}
