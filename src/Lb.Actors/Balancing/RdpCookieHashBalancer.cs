using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>'balance rdp-cookie(NAME)' (tcp mode): the cookie of the client's RDP connection request.</summary>
public sealed class RdpCookieHashBalancer : HashBalancer
{
    public const string Name = "rdp-cookie";

    private readonly byte[] _name;

    public RdpCookieHashBalancer(ServerGroups groups, Balance balance, HashType hashType, HashBalancer? previous = null) : base(groups, hashType, previous) =>
        _name = HashKeys.Bytes(balance.CookieName ?? "mstshash");

    protected override bool SkipsKeyWithOneServer => false;

    protected override bool TryGetHash(in BalanceContext context, out uint hash)
    {
        hash = 0;
        if (!HashKeys.TryRdpCookie(context.Payload, _name, out var value, out _) || value.IsEmpty) return false;
        hash = Hash(value);
        return true;
    }
}
