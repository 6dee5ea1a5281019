using System.Net;

namespace Lb.Config.Values;

/// <summary>"10.0.0.0/8", "192.168.1.1", "::1/128", "10.0.0.0/255.0.0.0".</summary>
public static class NetworkParser
{
    public static bool IsNetwork(string text)
    {
        var slash = text.IndexOf('/');
        var addr = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addr, out var ip)) return false;
        if (slash < 0) return true;
        var mask = text[(slash + 1)..];
        int max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        if (IntParser.TryParseInRange(mask, 0, max, out _)) return true;
        return max == 32 && mask.Contains('.') && IPAddress.TryParse(mask, out var m) && m.AddressFamily == ip.AddressFamily;
    }
}
