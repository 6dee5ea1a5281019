using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>'balance source': the client address' words, XORed (no string hash function).</summary>
public sealed class SourceHashBalancer : HashBalancer
{
    public const string Name = "source";

    public SourceHashBalancer(ServerGroups groups, HashType hashType, HashBalancer? previous = null) : base(groups, hashType, previous) { }

    protected override bool TryGetHash(in BalanceContext context, out uint hash) => HashKeys.TrySourceHash(context.Source, out hash);
}
