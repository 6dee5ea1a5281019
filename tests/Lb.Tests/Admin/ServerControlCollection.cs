using Xunit;

namespace Lb.Tests.Admin;

/// <summary>
/// The runtime server-control, agent and queue-log differential tests: each runs haproxy and Lb
/// with timed traffic, so they run alone, not beside other classes (whose 300 ms timeouts they
/// would otherwise starve on a loaded machine, and the other way round).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerControlCollection
{
    public const string Name = "server-control differential";
}
