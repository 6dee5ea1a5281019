using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>'balance static-rr': round robin over the precomputed <see cref="ServerMap"/>.</summary>
public sealed class StaticRoundRobinBalancer : IBalancer
{
    public const string Name = "static-rr";

    private readonly ServerMap _map;
    private readonly MapCursor _cursor;

    public StaticRoundRobinBalancer(ServerGroups groups, StaticRoundRobinBalancer? previous = null)
    {
        _map = ServerMap.Build(groups);
        _cursor = previous?._cursor ?? new MapCursor();
    }

    public ServerRuntime? Pick(in BalanceContext context) => _cursor.Next(_map, context.Avoid);
}
