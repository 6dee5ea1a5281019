using Akka.Streams;
using Lb.Actors.Backends;

namespace Lb.Actors.Sessions;

/// <summary>Node-wide things every session needs: the materializer and the backends.</summary>
public sealed record SessionContext(IMaterializer Materializer, BackendRegistry Backends);
