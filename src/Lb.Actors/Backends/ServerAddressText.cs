using System.Net;
using System.Net.Sockets;

namespace Lb.Actors.Backends;

/// <summary>Addresses as the runtime API takes them: haproxy's inet_pton, no host names, no short IPv4 forms.</summary>
public static class ServerAddressText
{
    public static bool TryParseIp(string? text, out IPAddress ip)
    {
        ip = IPAddress.None;
        if (string.IsNullOrEmpty(text) || !IPAddress.TryParse(text, out var parsed)) return false;
        // .NET accepts "127.1" and "10": inet_pton wants four dotted decimals.
        if (parsed.AddressFamily == AddressFamily.InterNetwork && (text.Count(c => c == '.') != 3 || text.Any(c => c is not ('.' or >= '0' and <= '9'))))
            return false;
        if (parsed.AddressFamily == AddressFamily.InterNetworkV6 && (text.Contains('%') || text.Contains('[')))
            return false;
        ip = parsed;
        return true;
    }
}
