using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lb.Actors.Rules.Matching;

/// <summary>
/// An address or network pattern: "10.0.0.0/8", "10.0.0.0/255.0.0.0", "192.168.1.7",
/// "2001:db8::/32", "::1". IPv4 patterns are kept as 32-bit masks, IPv6 ones as 128-bit masks.
/// </summary>
public readonly struct IpNetwork
{
    private readonly UInt128 _address;
    private readonly UInt128 _mask;

    private IpNetwork(bool v4, UInt128 address, UInt128 mask)
    {
        IsV4 = v4;
        _address = address & mask;
        _mask = mask;
    }

    public bool IsV4 { get; }

    /// <summary>The number of leading bits the network fixes (32 for one IPv4 address).</summary>
    public int PrefixLength => IsV4 ? (int)UInt128.PopCount(_mask & uint.MaxValue) : (int)UInt128.PopCount(_mask);

    public static bool TryParse(string text, out IpNetwork network)
    {
        network = default;
        int slash = text.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var ip)) return false;
        bool v4 = ip.AddressFamily == AddressFamily.InterNetwork;
        int bits = v4 ? 32 : 128;
        int prefix = bits;
        if (slash >= 0)
        {
            var m = text[(slash + 1)..];
            if (int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= bits) prefix = n;
            else if (v4 && m.Contains('.') && IPAddress.TryParse(m, out var maskIp) && maskIp.AddressFamily == AddressFamily.InterNetwork)
            {
                uint mask = ToUInt32(maskIp);
                network = new IpNetwork(true, ToUInt32(ip), mask);
                return true;
            }
            else return false;
        }
        if (v4)
        {
            uint mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            network = new IpNetwork(true, ToUInt32(ip), mask);
        }
        else
        {
            UInt128 mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
            network = new IpNetwork(false, ToUInt128(ip), mask);
        }
        return true;
    }

    /// <summary>Whether the address is in the network; IPv4 and IPv4-mapped IPv6 addresses are
    /// compared with either kind of pattern, as HAProxy does.</summary>
    public bool Contains(IPAddress address)
    {
        if (IsV4)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                if (!address.IsIPv4MappedToIPv6) return false;
                address = address.MapToIPv4();
            }
            return (ToUInt32(address) & (uint)_mask) == (uint)_address;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork) address = address.MapToIPv6();
        return (ToUInt128(address) & _mask) == _address;
    }

    /// <summary><see cref="Contains"/> for an IPv4 address given as its 32 bits (no IPAddress needed).</summary>
    public bool ContainsV4(uint address) =>
        IsV4 ? (address & (uint)_mask) == (uint)_address : ((((UInt128)0xffff << 32) | address) & _mask) == _address;

    /// <summary>Reads dotted-quad text ("10.1.2.3") without allocating; false for anything else.</summary>
    public static bool TryParseV4(ReadOnlySpan<byte> text, out uint address)
    {
        address = 0;
        int part = 0, digits = 0;
        uint value = 0;
        foreach (byte c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || ++part > 3) return false;
                address = (address << 8) | value;
                value = 0;
                digits = 0;
                continue;
            }
            if ((uint)(c - '0') > 9 || ++digits > 3) return false;
            value = value * 10 + (uint)(c - '0');
            if (value > 255) return false;
        }
        if (part != 3 || digits == 0) return false;
        address = (address << 8) | value;
        return true;
    }

    private static uint ToUInt32(IPAddress ip)
    {
        Span<byte> b = stackalloc byte[4];
        ip.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    private static UInt128 ToUInt128(IPAddress ip)
    {
        Span<byte> b = stackalloc byte[16];
        ip.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(b);
    }
}
