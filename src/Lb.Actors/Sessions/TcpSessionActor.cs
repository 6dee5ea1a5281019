using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Streams;
using Akka.IO;
using Akka.Streams.Dsl;
using Lb.Actors.Frontends;
using Lb.Actors.Streams;

namespace Lb.Actors.Sessions;

/// <summary>
/// One 'mode tcp' client connection: connects a server (with retries), then relays bytes both
/// ways through two socket stages joined back to back — half-close passes through per
/// direction. Enforces timeout client/server (or timeout tunnel once connected) on inactivity, and
/// client-fin/server-fin on a side that Lb has already sent its FIN to.
/// </summary>
public sealed class TcpSessionActor : ReceiveActor, IWithTimers
{
    private sealed record RelayDone;
    private sealed record CheckIdle;

    private readonly Socket _client;
    private readonly FrontendRuntime _frontend;
    private readonly SessionContext _context;
    private readonly CancellationTokenSource _cancel = new();
    private Socket? _server;
    private Backends.ServerRuntime? _serverRuntime;
    private SocketActivity? _clientActivity, _serverActivity;

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly Backends.ServerRuntime? _picked;
    private readonly long _startTicks = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _connectedTicks;
    private readonly Persistence.StickSession? _stick;
    private readonly Backends.BackendHandle? _backend;

    public TcpSessionActor(Socket client, FrontendRuntime frontend, SessionContext context, Backends.ServerRuntime? picked, Backends.BackendHandle? backend, Persistence.StickSession? stick = null)
    {
        _client = client;
        _picked = picked;
        _backend = backend;
        _stick = stick;
        _frontend = frontend;
        _context = context;
        Receive<ConnectResult>(OnConnected);
        Receive<CheckIdle>(_ => OnCheckIdle());
        Receive<RelayDone>(_ => Context.Stop(Self));
        Receive<SessionKill>(_ => Kill('K'));
    }

    /// <param name="picked">the server the frontend chose when it accepted the connection, if any</param>
    /// <param name="backend">the backend the frontend's use_backend rules chose (or its default)</param>
    /// <param name="stick">the stick-table keys to store once a server is connected</param>
    public static Props Props(Socket client, FrontendRuntime frontend, SessionContext context, Backends.ServerRuntime? picked, Backends.BackendHandle? backend, Persistence.StickSession? stick = null) =>
        SessionProps.Of(() => new TcpSessionActor(client, frontend, context, picked, backend, stick));

    protected override void PreStart()
    {
        var local = _client.LocalEndPoint as IPEndPoint;
        _log = TcpSessionLog.Open(_frontend, _client, _backend);
        ConnectAsync(local).PipeTo(Self,
            failure: e => new ConnectResult(null, null, ConnectError.ConnectFailed));
        ArmIdleTimer(_frontend.Config.Timeouts.Client);
    }

    private async Task<ConnectResult> ConnectAsync(IPEndPoint? local)
    {
        var backend = _backend;
        var picked = _picked;
        if (picked is null && backend is not null && TcpPayloadBalancing.NeedsPayload(backend))
        {
            picked = await TcpPayloadBalancing.PickAsync(_client, _frontend.Config, backend, _cancel.Token).ConfigureAwait(false);
        }
        return await ServerConnector.ConnectAsync(backend, local, _cancel.Token, picked).ConfigureAwait(false);
    }

    private void OnConnected(ConnectResult r)
    {
        _connectedTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        if (r.Server is { } assigned) Stats.TcpStats.Assigned(assigned);
        TcpSessionLog.Connected(_log, r);
        if (!r.Ok)
        {
            // HAProxy closes the client connection (FIN, not a reset) when no server can be reached.
            try { _client.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            Context.Stop(Self);
            return;
        }
        _server = r.Socket!;
        _serverRuntime = r.Server;
        _stick?.OnConnected(r.Server);
        _shutdown = r.Server!.ShutdownToken.UnsafeRegister(static s => ((TcpSessionActor)s!).Cut(), this); // on-marked-down shutdown-sessions
        _clientActivity = new SocketActivity();
        _serverActivity = new SocketActivity();
        var settings = SocketSettings.Default;
        var (clientDone, serverDone) = SocketFlow.Create(_client, settings, _clientActivity)
            .JoinMaterialized(SocketFlow.Create(_server, settings, _serverActivity), (c, sv) => (c, sv))
            .Run(_context.Materializer);
        _relay = (clientDone, serverDone);
        Task.WhenAll(clientDone, serverDone).ContinueWith(_ => new RelayDone(), TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
        var t = _backend!.Snapshot.Config.Timeouts;
        var fe = _frontend.Config.Timeouts;
        ArmIdleTimer(Min(Min(t.Tunnel ?? fe.Client, t.Tunnel ?? t.Server), Min(fe.ClientFin, t.ServerFin)));
    }

    private void ArmIdleTimer(TimeSpan? timeout)
    {
        if (timeout is not { } t || t <= TimeSpan.Zero) { Timers.Cancel("idle"); return; }
        var period = TimeSpan.FromMilliseconds(Math.Clamp(t.TotalMilliseconds / 4, 10, 1000));
        Timers.StartPeriodicTimer("idle", new CheckIdle(), period);
    }

    private void OnCheckIdle()
    {
        var now = Environment.TickCount64;
        var feT = _frontend.Config.Timeouts;
        if (_server is null)
        {
            // Still connecting: the connect timeout and retries bound this; nothing to do here.
            return;
        }
        var beT = _backend!.Snapshot.Config.Timeouts;
        // Once Lb has sent its FIN to a side, that side's timeout becomes client-fin / server-fin
        // when set: a peer that never closes its half must not hold the connection for long.
        var clientTimeout = _clientActivity!.WriteShutdown && feT.ClientFin is { } cf ? cf : beT.Tunnel ?? feT.Client;
        var serverTimeout = _serverActivity!.WriteShutdown && beT.ServerFin is { } sf ? sf : beT.Tunnel ?? beT.Server;
        // Activity on a side means reading from it or writing to it (HAProxy's inactivity timeouts).
        bool clientIdle = clientTimeout is { } ct && now - _clientActivity.LastActivityMs > ct.TotalMilliseconds;
        bool serverIdle = serverTimeout is { } st && now - _serverActivity.LastActivityMs > st.TotalMilliseconds;
        if (clientIdle || serverIdle)
        {
            _log?.Terminate(clientIdle ? 'c' : 's', 'D');
            Abort(_client);
            Abort(_server);
        }
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private CancellationTokenRegistration _shutdown;

    /// <summary>Cuts both sides at once (from the server's shutdown token, on another thread).</summary>
    private void Cut() => Kill(_serverRuntime?.ShutdownCause ?? 'D');

    // 'D': the server went down ('on-marked-down shutdown-sessions'); 'K': an admin killed it
    // ('shutdown session', 'shutdown sessions server'), which haproxy logs "K-".
    private void Kill(char cause)
    {
        _log?.Terminate(cause, cause == 'K' ? '-' : 'D');
        Abort(_client);
        if (_server is { } s) Abort(s);
    }

    private static void Abort(Socket s)
    {
        try { s.LingerState = new LingerOption(true, 0); s.Close(); }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    protected override void PostStop()
    {
        _cancel.Cancel();
        _shutdown.Dispose();
        _client.Dispose();
        if (_server != null)
        {
            _server.Dispose();
            _serverRuntime?.ConnectionClosed();
            _serverRuntime?.ReleaseSlot();
            long fromClient = _clientActivity?.BytesRead ?? 0, fromServer = _serverActivity?.BytesRead ?? 0;
            _serverRuntime?.AddBytesIn(fromClient);
            _serverRuntime?.AddBytesOut(fromServer);
            _frontend.AddBytesIn(fromClient);
            _frontend.AddBytesOut(fromServer);
            if (_serverRuntime != null) Stats.TcpStats.Finished(_serverRuntime, _startTicks, _connectedTicks);
        }
        TcpSessionLog.End(_log, _relay, _clientActivity, _serverActivity);
        Context.Parent.Tell(new FrontendActor.SessionEnded(_clientActivity?.BytesRead ?? 0, _serverActivity?.BytesRead ?? 0));
    }

    private Logging.LogRecord? _log;
    private (Task Client, Task Server)? _relay;
}
