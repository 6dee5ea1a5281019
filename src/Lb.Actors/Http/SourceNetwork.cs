using System.Net;
using System.Net.Sockets;

namespace Lb.Actors.Http;

/// <summary>A network as HAProxy's "except" takes it: "10.0.0.0/8", "10.0.0.0/255.0.0.0", a bare
/// address (one host), IPv6 with a prefix. Address bits beyond the mask are ignored.</summary>
public readonly struct SourceNetwork
{
    private readonly byte[] _address;
    private readonly int _prefix;

    private SourceNetwork(byte[] address, int prefix) { _address = address; _prefix = prefix; }

    public static bool TryParse(string text, out SourceNetwork network)
    {
        network = default;
        int slash = text.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var ip)) return false;
        var bytes = ip.GetAddressBytes();
        int max = bytes.Length * 8, prefix = max;
        if (slash >= 0)
        {
            var mask = text[(slash + 1)..];
            if (int.TryParse(mask, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n <= max) prefix = n;
            else if (max == 32 && IPAddress.TryParse(mask, out var m) && m.AddressFamily == AddressFamily.InterNetwork) prefix = PrefixOf(m.GetAddressBytes());
            else return false;
        }
        network = new SourceNetwork(bytes, prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (_address == null) return false;
        if (address.IsIPv4MappedToIPv6 && _address.Length == 4) address = address.MapToIPv4();
        Span<byte> a = stackalloc byte[16];
        if (!address.TryWriteBytes(a, out int len) || len != _address.Length) return false;
        int full = _prefix / 8, rest = _prefix % 8;
        if (!a[..full].SequenceEqual(_address.AsSpan(0, full))) return false;
        if (rest == 0) return true;
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & mask) == (_address[full] & mask);
    }

    private static int PrefixOf(byte[] mask)
    {
        int n = 0;
        foreach (var b in mask) n += System.Numerics.BitOperations.PopCount(b);
        return n;
    }
}
