using System.Net;
using Lb.Actors.Http;

namespace Lb.Actors.Persistence;

/// <summary>
/// What stick rules (their fetches and their conditions) may look at: the client's address, the
/// address it connected to, and in HTTP the request head and, for 'stick store-response', the
/// response head. Passed by reference; nothing is copied.
/// </summary>
public readonly ref struct StickContext
{
    public IPAddress? Source { get; init; }
    /// <summary>The client's address and port when known (for conditions on src_port).</summary>
    public IPEndPoint? Client { get; init; }
    public IPEndPoint? Destination { get; init; }
    public RequestHead? Request { get; init; }
    public ResponseHead? Response { get; init; }
}
