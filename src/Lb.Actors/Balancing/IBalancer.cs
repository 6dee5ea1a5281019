using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// Picks a server for a new connection (tcp) or request (http). Implementations are built over one
/// snapshot's usable servers, may carry their position over from the previous snapshot's balancer,
/// and must be thread-safe: many sessions call Pick at once.
/// </summary>
public interface IBalancer
{
    /// <summary>The chosen server; null when there is none to choose (503) or every one is full
    /// (the request waits in the backend's queue): BackendSnapshot.Balanced tells which.</summary>
    ServerRuntime? Pick(in BalanceContext context);

    /// <summary>A pick without request data (hash algorithms fall back to round robin).</summary>
    ServerRuntime? Pick(ServerRuntime? avoid = null) => Pick(new BalanceContext(avoid));
}
