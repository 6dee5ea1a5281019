using System.Net;
using Lb.Actors.Backends;
using Lb.Actors.Rules;
using Lb.Actors.Rules.Conditions;
using Lb.Config.Model;

namespace Lb.Actors.Stats;

/// <summary>
/// Decides whether a stats-page request may act on servers ('stats admin if|unless COND'): each
/// condition is compiled once by the ACL engine (Rules/), so every ACL the rules know works here
/// (src, hdr, path, http_auth, ...); several 'stats admin' lines allow when any of them holds.
/// A condition the engine cannot compile never grants admin rights.
/// </summary>
public sealed class AdminGate
{
    private readonly RequestCondition?[] _conditions;

    public AdminGate(Proxy proxy, BackendRegistry? backends = null)
    {
        var compilation = new RuleCompilation(proxy, backends);
        _conditions = proxy.Stats.AdminConditions
            .Select(c => compilation.Compile(c, RuleStage.Request, proxy.Location, "stats admin"))
            .ToArray();
    }

    public bool Configured => _conditions.Length > 0;

    public bool Allows(in RuleContext ctx)
    {
        foreach (var c in _conditions)
            if (c != null && c.Matches(ctx)) return true;
        return false;
    }

    /// <summary>"10.0.0.0/8", "192.168.1.5" or "::1" against an address.</summary>
    public static bool InNetwork(IPAddress address, string pattern)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        int slash = pattern.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? pattern : pattern[..slash], out var net)) return false;
        if (net.IsIPv4MappedToIPv6) net = net.MapToIPv4();
        if (net.AddressFamily != address.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = net.GetAddressBytes();
        int bits = a.Length * 8;
        if (slash >= 0)
        {
            var mask = pattern[(slash + 1)..];
            if (int.TryParse(mask, out var b)) bits = Math.Clamp(b, 0, a.Length * 8);
            else if (IPAddress.TryParse(mask, out var m) && m.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                bits = m.GetAddressBytes().Sum(x => System.Numerics.BitOperations.PopCount(x));
        }
        for (int i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            int keep = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & keep) != (n[i] & keep)) return false;
        }
        return true;
    }
}
