using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lb.Actors.Health;

namespace Lb.Actors.Frontends;

public sealed partial class FrontendActor : IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;

    public enum AdminAction { Pause, Resume, Stop }

    /// <summary>'disable|enable|shutdown frontend'; the reply is an <see cref="AdminReply"/> (haproxy's text, empty when done).</summary>
    public sealed record Admin(AdminAction Action);
    public sealed record AdminReply(string Message);

    /// <summary>maxconn (frontend or global) changed: start connections that now fit.</summary>
    public sealed record LimitsChanged
    {
        public static readonly LimitsChanged Instance = new();
    }

    /// <summary>'show sess': the reply is the list of this frontend's sessions.</summary>
    public sealed record ListSessions
    {
        public static readonly ListSessions Instance = new();
    }

    /// <summary>One live session as 'show sess' prints it.</summary>
    public sealed record SessionInfo(long Id, string Frontend, EndPoint? Client, EndPoint? Local, long StartedMs);

    /// <summary>'shutdown session ID': the reply is true when this frontend had it.</summary>
    public sealed record KillSession(long Id);

    private bool _paused;
    private bool _stopped;
    private bool _rateRetryScheduled;

    /// <summary>
    /// 'rate-limit sessions' (frontend) and 'set rate-limit connections|sessions global': over the
    /// rate, accepted connections wait (as in haproxy, which stops accepting for a moment); a
    /// retry is scheduled since no session end may come to wake them.
    /// </summary>
    private bool RateLimited()
    {
        var limits = _runtime.Node.Limits;
        int fe = _runtime.Config.RateLimitSessions ?? 0, sess = limits.SessionRate, conn = limits.ConnectionRate;
        if (fe <= 0 && sess <= 0 && conn <= 0) return false;
        bool over = fe > 0 && _runtime.Counters.SessionRate.Rate >= fe
            || sess > 0 && _runtime.Node.SessionRate.Rate >= sess
            || conn > 0 && _runtime.Node.ConnectionRate.Rate >= conn;
        if (over && !_rateRetryScheduled)
        {
            _rateRetryScheduled = true;
            Timers.StartSingleTimer("rate-retry", RateRetry.Instance, TimeSpan.FromMilliseconds(20));
        }
        return over;
    }

    private sealed record RateRetry
    {
        public static readonly RateRetry Instance = new();
    }

    /// <summary>A live session as tracked for 'show sess': addresses are read only when listed.</summary>
    private readonly record struct LiveSession(IActorRef Ref, Socket Socket, long Id, long StartedMs, Stats.ListenerStats? Listener);

    private readonly Dictionary<string, LiveSession> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<long, IActorRef> _liveRefs = new();
    private long _idBase = -1;

    /// <summary>Node-unique session ids: the frontend's proxy id in the high bits.</summary>
    private long SessionKey(long id)
    {
        if (_idBase < 0) _idBase = (long)(_runtime.Node.Proxies.FirstOrDefault(p => ReferenceEquals(p.Config, _runtime.Config))?.Id ?? 0) << 40;
        return _idBase | id;
    }

    private void ReceiveAdmin()
    {
        Receive<Admin>(OnAdmin);
        Receive<LimitsChanged>(_ => { while (_waiting.Count > 0 && !AtLimit) Start(_waiting.Dequeue()); });
        Receive<RateRetry>(_ =>
        {
            _rateRetryScheduled = false;
            while (_waiting.Count > 0 && !AtLimit) Start(_waiting.Dequeue());
        });
        Receive<ListSessions>(_ => Sender.Tell(_live.Values.Select(Describe).ToList()));
        Receive<KillSession>(m =>
        {
            if (_liveRefs.TryGetValue(m.Id, out var session)) { session.Tell(Sessions.SessionKill.Instance); Sender.Tell(true); }
            else Sender.Tell(false);
        });
    }

    private void Track(IActorRef session, long id, Socket socket)
    {
        Stats.ListenerStats? listener = null;
        // Only 'option socket-stats' frontends have listeners to attribute the session to.
        if (_runtime.Listeners.Count > 0 && _runtime.Config.HasOption("socket-stats"))
        {
            try { listener = _runtime.ListenerOf(socket.LocalEndPoint); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            listener?.Sessions.Opened();
        }
        var key = SessionKey(id);
        _live[session.Path.Name] = new LiveSession(session, socket, key, Environment.TickCount64, listener);
        _liveRefs[key] = session;
    }

    private void Untrack(IActorRef session, SessionEnded m)
    {
        if (!_live.Remove(session.Path.Name, out var live)) return;
        _liveRefs.Remove(live.Id);
        live.Listener?.SessionEnded(m.BytesIn, m.BytesOut);
    }

    private SessionInfo Describe(LiveSession s)
    {
        EndPoint? remote = null, local = null;
        try { remote = s.Socket.RemoteEndPoint; local = s.Socket.LocalEndPoint; }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        return new SessionInfo(s.Id, _runtime.Name, remote, local, s.StartedMs);
    }

    /// <summary>One bound address: its 'option socket-stats' counters ("sock-N" unless the bind line names it).</summary>
    private void RegisterListener(Lb.Config.Model.Bind bind, EndPoint local)
    {
        int id = _runtime.Listeners.Count + 1;
        _runtime.AddListener(new Stats.ListenerStats(id, bind.Name ?? "sock-" + id, local, bind.MaxConn ?? 0));
    }

    private void OnAdmin(Admin m)
    {
        string message = "";
        switch (m.Action)
        {
            case AdminAction.Pause when _stopped: message = "Frontend was previously shut down, cannot disable.\n"; break;
            case AdminAction.Pause when _paused: message = "All sockets are already disabled.\n"; break;
            case AdminAction.Pause:
                _paused = true;
                _runtime.State = FrontendState.Paused;
                HealthLog.StdErr.Warning($"Paused frontend {_runtime.Name}.");
                break;
            case AdminAction.Resume when _stopped: message = "Frontend was previously shut down, cannot enable.\n"; break;
            case AdminAction.Resume when !_paused: message = "All sockets are already enabled.\n"; break;
            case AdminAction.Resume:
                _paused = false;
                _runtime.State = FrontendState.Open;
                HealthLog.StdErr.Warning($"Resumed frontend {_runtime.Name}.");
                while (_waiting.Count > 0 && !AtLimit) Start(_waiting.Dequeue());
                break;
            case AdminAction.Stop when _stopped: message = "Frontend was already shut down.\n"; break;
            case AdminAction.Stop:
                _stopped = true;
                _paused = false;
                _runtime.State = FrontendState.Stopped;
                foreach (var l in _listeners) l.Dispose();
                _listeners.Clear();
                while (_waiting.TryDequeue(out var s)) s.Dispose();
                HealthLog.StdErr.Warning($"Proxy {_runtime.Name} stopped (cumulated conns: FE: {_runtime.TotalSessions}, BE: 0).");
                break;
        }
        Sender.Tell(new AdminReply(message));
    }
}
