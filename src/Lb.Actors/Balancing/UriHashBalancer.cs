using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>'balance uri [whole] [len N] [depth N] [path-only]': the request target up to '?'.</summary>
public sealed class UriHashBalancer : HashBalancer
{
    public const string Name = "uri";

    private readonly Balance _b;

    public UriHashBalancer(ServerGroups groups, Balance balance, HashType hashType, HashBalancer? previous = null) : base(groups, hashType, previous) =>
        _b = balance;

    protected override bool TryGetHash(in BalanceContext context, out uint hash)
    {
        hash = 0;
        if (context.Request is not { } request) return false;
        var uri = _b.UriPathOnly ? HashKeys.Path(request.Target) : request.Target;
        hash = Hash(HashKeys.Uri(uri, _b.UriWhole, _b.UriLen, _b.UriDepth));
        return true;
    }
}
