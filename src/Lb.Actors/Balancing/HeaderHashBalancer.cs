using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>'balance hdr(NAME) [use_domain_only]': the header's first value.</summary>
public sealed class HeaderHashBalancer : HashBalancer
{
    public const string Name = "hdr";

    private readonly byte[] _name;
    private readonly bool _domainOnly;

    public HeaderHashBalancer(ServerGroups groups, Balance balance, HashType hashType, HashBalancer? previous = null) : base(groups, hashType, previous)
    {
        _name = HashKeys.Bytes(balance.HeaderName);
        _domainOnly = balance.UseDomainOnly;
    }

    protected override bool TryGetHash(in BalanceContext context, out uint hash)
    {
        hash = 0;
        if (context.Request is not { } request || !HashKeys.TryHeader(request, _name, out var value)) return false;
        hash = Hash(_domainOnly ? HashKeys.DomainOnly(value) : value);
        return true;
    }
}
