using System.Net;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using Lb.Actors.Frontends;
using Lb.Actors.Http;

namespace Lb.Actors.Sessions;

/// <summary>
/// The HTTP/1.1 engine of one client connection, joined to the client's socket stage: bytes from
/// the client come in, bytes for the client go out. It parses request heads, picks the backend
/// and server, keeps (or renews) the server connection, forwards bodies as they arrive
/// (Content-Length and chunked, never buffered whole), parses response heads and answers
/// HAProxy's error pages. One request at a time: pipelined requests wait in the input buffer.
/// </summary>
internal sealed partial class HttpSessionStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly FrontendRuntime _frontend;
    private readonly IPEndPoint _client;
    private readonly IPEndPoint? _local;

    public HttpSessionStage(FrontendRuntime frontend, IPEndPoint client, IPEndPoint? local)
    {
        _frontend = frontend;
        _client = client;
        _local = local;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    public Inlet<ByteString> In { get; } = new("http.fromClient");
    public Outlet<ByteString> Out { get; } = new("http.toClient");
    public override FlowShape<ByteString, ByteString> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    public override string ToString() => "HttpSessionStage";
}
