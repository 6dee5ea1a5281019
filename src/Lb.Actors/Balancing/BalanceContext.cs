using System.Net;
using Lb.Actors.Backends;
using Lb.Actors.Http;

namespace Lb.Actors.Balancing;

/// <summary>
/// What a balancer may look at to pick a server, passed by reference so that nothing is copied or
/// allocated per request: the client address ('source'), the request head ('uri', 'url_param',
/// 'hdr'), the body bytes already received ('url_param' on POST) and the first bytes of a tcp
/// connection ('rdp-cookie'). Avoid is the server a redispatch moves away from.
/// </summary>
public readonly ref struct BalanceContext
{
    public BalanceContext(ServerRuntime? avoid) => Avoid = avoid;

    public ServerRuntime? Avoid { get; init; }
    public IPAddress? Source { get; init; }
    public RequestHead? Request { get; init; }
    public ReadOnlySpan<byte> Body { get; init; }
    public ReadOnlySpan<byte> Payload { get; init; }
}
