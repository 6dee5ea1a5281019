namespace Lb.Actors.Balancing;

/// <summary>'balance leastconn': the usable server with the fewest connections plus queued requests
/// relative to its weight; round robin among equals (see <see cref="LeastConnState"/>).</summary>
public sealed class LeastConnBalancer : IBalancer
{
    public const string Name = "leastconn";

    private readonly LeastConnState _state;

    public LeastConnBalancer(ServerGroups groups, LeastConnBalancer? previous = null)
    {
        _state = previous is not null && previous._state.Covers(groups) ? previous._state : new LeastConnState(groups.All);
        _state.Apply(groups);
    }

    public Backends.ServerRuntime? Pick(in BalanceContext context) => _state.Next(context.Avoid);
}
