using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Lb.Actors.Sessions;
using Lb.Actors.Streams;
using Lb.Config.Model;

namespace Lb.Actors.Frontends;

/// <summary>
/// One frontend or listen section: binds every 'bind' address when it starts (a bind failure
/// fails the actor, which the root turns into a startup error), receives accepted sockets and
/// starts one session actor per connection. Above maxconn, accepted connections wait here, in
/// order, until a session ends — the client sees no answer yet, as with HAProxy's full backlog.
/// </summary>
public sealed partial class FrontendActor : ReceiveActor
{
    public sealed record Accepted(Socket Socket);
    /// <summary>A session is over; the client-side bytes it moved, for the listener's stats.</summary>
    public sealed record SessionEnded(long BytesIn = 0, long BytesOut = 0);
    public sealed record Bound(string Frontend, IReadOnlyList<EndPoint> EndPoints);

    /// <summary>Soft stop: close the listeners, answer <see cref="Drained"/> once no session is left.</summary>
    public sealed record Drain;
    public sealed record Drained(string Frontend);

    private readonly FrontendRuntime _runtime;
    private readonly SessionContext _context;
    private readonly ConnectionLimiter _global;
    private readonly List<SocketListener> _listeners = new();
    private readonly Queue<Socket> _waiting = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _sessionIds;
    private int _sessions;
    private IActorRef? _drainRequester;

    public FrontendActor(FrontendRuntime runtime, SessionContext context, ConnectionLimiter global)
    {
        _runtime = runtime;
        _context = context;
        _global = global;
        Receive<Accepted>(a => OnAccepted(a.Socket));
        Receive<SessionEnded>(OnSessionEnded);
        Receive<Drain>(_ => OnDrain());
        Receive<Terminated>(_ => { });
        ReceiveAdmin();
    }

    public static Props Props(FrontendRuntime runtime, SessionContext context, ConnectionLimiter global) =>
        Akka.Actor.Props.Create(() => new FrontendActor(runtime, context, global));

    // A session that throws is stopped (its PostStop closes the sockets), never restarted.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "frontend '{0}': session failed: {1}", _runtime.Name, e.Message);
        return Akka.Actor.Directive.Stop;
    });

    protected override void PreStart()
    {
        var self = Self;
        var bound = new List<EndPoint>();
        foreach (var bind in _runtime.Config.Binds)
        {
            foreach (var ep in bind.Endpoints)
            {
                if (ep.Ip is null) throw new NotSupportedException($"bind '{ep.Text}': only IP addresses are supported yet");
                foreach (var port in ep.Ports())
                {
                    var listener = SocketListener.Bind(new IPEndPoint(ep.Ip, port), s => self.Tell(new Accepted(s)),
                        onError: e => _log.Warning("frontend '{0}': accept error: {1}", _runtime.Name, e.Message));
                    _listeners.Add(listener);
                    bound.Add(listener.LocalEndPoint);
                    RegisterListener(bind, listener.LocalEndPoint);
                }
            }
        }
        Context.Parent.Tell(new Bound(_runtime.Name, bound));
    }

    protected override void PostStop()
    {
        foreach (var l in _listeners) l.Dispose();
        while (_waiting.TryDequeue(out var s)) s.Dispose();
    }

    private bool AtLimit => _runtime.MaxConn > 0 && _runtime.CurrentSessions >= _runtime.MaxConn || !_global.HasRoom || _paused || RateLimited();

    private void OnAccepted(Socket socket)
    {
        if (_drainRequester != null) { socket.Dispose(); return; }
        // tcp-request connection accept/reject (Rules/ConnectionRules): before anything else.
        if (!_runtime.Rules.AcceptsConnection(_runtime, socket.RemoteEndPoint as IPEndPoint, socket.LocalEndPoint as IPEndPoint)) { socket.Dispose(); return; }
        if (AtLimit) { _waiting.Enqueue(socket); return; }
        Start(socket);
    }

    private void OnDrain()
    {
        foreach (var l in _listeners) l.Dispose();
        _listeners.Clear();
        while (_waiting.TryDequeue(out var s)) s.Dispose();
        _drainRequester = Sender;
        if (_sessions == 0) _drainRequester.Tell(new Drained(_runtime.Name));
    }

    private void Start(Socket socket)
    {
        _sessions++;
        _runtime.SessionOpened();
        _global.Opened();
        var id = ++_sessionIds;
        Props props;
        if (_runtime.Config.Mode == ProxyMode.Http) props = HttpSessionActor.Props(socket, _runtime, _context);
        else
        {
            // use_backend rules on the addresses (Rules/), then balanced here, in accept order,
            // so that roundrobin follows the connection order.
            var backend = _runtime.Rules.SelectTcpBackend(_runtime, socket.RemoteEndPoint as IPEndPoint, socket.LocalEndPoint as IPEndPoint);
            props = TcpSessionActor.Props(socket, _runtime, _context, PickAtAccept(socket, backend, out var stick), backend, stick);
        }
        Track(Context.ActorOf(props, "s" + id), id, socket);
    }

    // Stick rules first ('stick on src'); rdp-cookie waits for the client's first bytes: the session picks then.
    private static Backends.ServerRuntime? PickAtAccept(Socket socket, Backends.BackendHandle? backend, out Persistence.StickSession? stick)
    {
        stick = null;
        if (backend is null) return null;
        var source = (socket.RemoteEndPoint as IPEndPoint)?.Address;
        if (backend.Stick is { } rules)
        {
            stick = new Persistence.StickSession(rules);
            var ctx = new Persistence.StickContext { Source = source, Client = socket.RemoteEndPoint as IPEndPoint, Destination = socket.LocalEndPoint as IPEndPoint };
            if (stick.OnRequest(ctx, backend.Snapshot, null) is { } direct) return direct;
        }
        return TcpPayloadBalancing.NeedsPayload(backend) ? null
            : backend.Snapshot.Balancer.Pick(new Balancing.BalanceContext { Source = source });
    }

    private void OnSessionEnded(SessionEnded m)
    {
        Untrack(Sender, m);
        _sessions--;
        _runtime.SessionClosed();
        _global.Closed();
        if (_drainRequester != null)
        {
            if (_sessions == 0) _drainRequester.Tell(new Drained(_runtime.Name));
            return;
        }
        while (_waiting.Count > 0 && !AtLimit) Start(_waiting.Dequeue());
    }
}
