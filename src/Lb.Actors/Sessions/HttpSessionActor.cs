using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Streams.Dsl;
using Lb.Actors.Frontends;
using Lb.Actors.Streams;

namespace Lb.Actors.Sessions;

/// <summary>
/// One 'mode http' client connection: runs the client's socket stage joined to an
/// <see cref="HttpSessionStage"/> and stops when the connection is over.
/// </summary>
public sealed class HttpSessionActor : ReceiveActor
{
    private sealed record Done;

    private readonly Socket _client;
    private readonly FrontendRuntime _frontend;
    private readonly SessionContext _context;
    private readonly SocketActivity _activity = new();
    private HttpSessionStage? _stage;

    public HttpSessionActor(Socket client, FrontendRuntime frontend, SessionContext context)
    {
        _client = client;
        _frontend = frontend;
        _context = context;
        Receive<Done>(_ => Context.Stop(Self));
        // The stage answers and logs the kill itself once it runs; before that, stopping is all there is.
        Receive<SessionKill>(_ =>
        {
            if (_stage?.Kill is { } kill) kill();
            else Context.Stop(Self);
        });
    }

    public static Props Props(Socket client, FrontendRuntime frontend, SessionContext context) =>
        SessionProps.Of(() => new HttpSessionActor(client, frontend, context));

    protected override void PreStart()
    {
        var remote = (IPEndPoint)_client.RemoteEndPoint!;
        var stage = _stage = new HttpSessionStage(_frontend, remote, _client.LocalEndPoint as IPEndPoint);
        var closed = SocketFlow.Create(_client, SocketSettings.Default, _activity)
            .JoinMaterialized(Flow.FromGraph(stage), (socketClosed, _) => socketClosed)
            .Run(_context.Materializer);
        closed.ContinueWith(_ => new Done(), TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    protected override void PostStop()
    {
        _client.Dispose();
        _frontend.AddBytesIn(_activity.BytesRead);
        _frontend.AddBytesOut(_activity.BytesWritten);
        Context.Parent.Tell(new FrontendActor.SessionEnded(_activity.BytesRead, _activity.BytesWritten));
    }
}
