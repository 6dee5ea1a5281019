using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// Picks a server for a new connection or request. Implementations are built over one snapshot's
/// serving servers and must be thread-safe: many sessions call Pick at once.
/// </summary>
public interface IBalancer
{
    /// <summary>The chosen server, or null when there is none to choose (answer 503).</summary>
    ServerRuntime? Pick(ServerRuntime? avoid = null);
}
