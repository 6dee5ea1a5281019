using System.Net;
using System.Net.Sockets;
using Lb.Config.Model;

namespace Lb.Actors.Stats;

/// <summary>
/// Decides whether a stats-page request may act on servers ('stats admin if|unless COND').
/// Evaluates the predefined ACLs TRUE, FALSE and LOCALHOST and 'src' ACLs itself; any other
/// ACL goes to <see cref="External"/> — the seam for the ACL engine (Rules/) — and without it
/// does not match, so an unknown condition never grants admin rights.
/// </summary>
public sealed class AdminGate
{
    private readonly Proxy _proxy;

    public AdminGate(Proxy proxy) => _proxy = proxy;

    /// <summary>Evaluates an ACL term the gate does not know: (acl, client, request headers) -> match; null = unknown.</summary>
    public static Func<AclDefinition, IPAddress, Func<string, string?>, bool?>? External { get; set; }

    public bool Configured => !_proxy.Stats.AdminConditions.IsEmpty;

    public bool Allows(IPAddress client, Func<string, string?> header)
    {
        foreach (var cond in _proxy.Stats.AdminConditions)
        {
            bool any = cond.AnyOf.Any(group => group.All(term => Term(term, client, header)));
            if (any != cond.Unless) return true;
        }
        return false;
    }

    private bool Term(AclTerm term, IPAddress client, Func<string, string?> header)
    {
        bool v;
        if (term.Anonymous is { } anon) v = Match(anon, client, header);
        else
        {
            var name = term.Name!;
            var defs = _proxy.Acls.Where(a => a.Name == name).ToList();
            v = defs.Count > 0 ? defs.Any(d => Match(d, client, header)) : Predefined(name, client);
        }
        return v != term.Negated;
    }

    private static bool Predefined(string name, IPAddress client) => name switch
    {
        "TRUE" => true,
        "FALSE" => false,
        "LOCALHOST" => IPAddress.IsLoopback(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client),
        _ => false,
    };

    private static bool Match(AclDefinition acl, IPAddress client, Func<string, string?> header)
    {
        if (acl.Criterion == "src" && acl.PatternFiles.IsEmpty) return acl.Patterns.Any(p => InNetwork(client, p));
        if (acl.Criterion == "always_true") return true;
        if (acl.Criterion == "always_false") return false;
        return External?.Invoke(acl, client, header) ?? false;
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
            else if (IPAddress.TryParse(mask, out var m) && m.AddressFamily == AddressFamily.InterNetwork)
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
