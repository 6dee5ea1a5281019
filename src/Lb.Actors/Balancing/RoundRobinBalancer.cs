namespace Lb.Actors.Balancing;

/// <summary>
/// 'balance roundrobin': HAProxy's dynamic weighted round robin (see <see cref="FwrrState"/>).
/// Weight changes and servers going up or down take effect at once and keep the rotation's
/// position, because every snapshot's balancer shares the backend's one state.
/// </summary>
public sealed class RoundRobinBalancer : IBalancer
{
    public const string Name = "roundrobin";

    private readonly FwrrState _state;

    public RoundRobinBalancer(ServerGroups groups, RoundRobinBalancer? previous = null)
    {
        _state = previous is not null && previous._state.Covers(groups) ? previous._state : new FwrrState(groups.All);
        _state.Apply(groups);
    }

    public Backends.ServerRuntime? Pick(in BalanceContext context) => _state.Next(context.Avoid);
}
