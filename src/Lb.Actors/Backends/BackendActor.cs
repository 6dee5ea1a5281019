using Akka.Actor;
using Lb.Actors.Health;

namespace Lb.Actors.Backends;

/// <summary>
/// Owns one backend's server states and publishes a new <see cref="BackendSnapshot"/> whenever
/// one changes; the sessions only ever read the published snapshot. Starts one health checker
/// per server with 'check' (children named check-SERVER, stopped with the backend), turns their
/// state changes into snapshots, haproxy-worded log lines, session shutdowns and slowstart ramps.
/// </summary>
public sealed class BackendActor : ReceiveActor, IWithTimers
{
    /// <summary>Takes a server in or out of balanced traffic (admin state, runtime API).</summary>
    public sealed record SetServerUsable(string Server, bool Usable);

    /// <summary>A checker's report: the server went DOWN, UP, NOLB or back from NOLB.</summary>
    public sealed record ServerStateChanged(string Server, HealthTransition Transition, CheckResult Why, bool Usable);

    /// <summary>Sets a server's user weight (0..256; 0 = no balanced traffic), as 'set weight' does.</summary>
    public sealed record SetServerWeight(string Server, int Weight);

    private sealed record SlowStartTick
    {
        public static readonly SlowStartTick Instance = new();
    }

    private const string SlowStartTimer = "slowstart";
    private readonly BackendHandle _handle;
    private readonly HealthCheckActor.Settings? _checks;
    private readonly int _firstPosition;
    private readonly HealthLog _log;
    private readonly Dictionary<string, bool> _usable = new(StringComparer.Ordinal);
    private readonly Dictionary<ServerRuntime, long> _ramping = new();
    private readonly HashSet<string> _stopping = new(StringComparer.Ordinal); // NOLB servers, for the syslog level

    /// <param name="checks">null: no health checks (tests of the snapshot alone)</param>
    /// <param name="firstPosition">this backend's first checked server's position in the node (spreads first checks)</param>
    public BackendActor(BackendHandle handle, HealthCheckActor.Settings? checks = null, int firstPosition = 0, HealthLog? log = null)
    {
        _handle = handle;
        _checks = checks;
        _firstPosition = firstPosition;
        _log = log ?? HealthLog.StdErr;
        foreach (var s in handle.Snapshot.All)
            _usable[s.Name] = handle.Snapshot.Active.Contains(s) || handle.Snapshot.Backups.Contains(s);
        Receive<SetServerUsable>(OnSetUsable);
        Receive<ServerStateChanged>(OnStateChanged);
        Receive<SlowStartTick>(_ => OnSlowStartTick());
        Receive<SetServerWeight>(OnSetWeight);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(BackendHandle handle, HealthCheckActor.Settings? checks = null, int firstPosition = 0, HealthLog? log = null) =>
        Akka.Actor.Props.Create(() => new BackendActor(handle, checks, firstPosition, log));

    /// <summary>How many checkers a backend starts (LbRoot numbers them across the node).</summary>
    public static int CheckedServers(Lb.Config.Model.Proxy backend) => backend.Servers.Count(s => s.Check);

    protected override void PreStart()
    {
        if (_checks is null) return;
        int position = _firstPosition;
        var config = _handle.Snapshot.Config;
        foreach (var server in _handle.Snapshot.All)
        {
            if (!server.Config.Check) continue;
            var delay = _checks.Spread.FirstDelay(position++);
            if (CheckTarget.For(server.Config, server.EndPoint, config) is not { } target) continue;
            Context.ActorOf(HealthCheckActor.Props(server, _handle, target, _checks, delay), HealthCheckActor.ChildName(server.Name));
        }
    }

    private void OnSetUsable(SetServerUsable m)
    {
        if (!_usable.TryGetValue(m.Server, out var was) || was == m.Usable) return;
        _usable[m.Server] = m.Usable;
        Publish();
    }

    private void OnStateChanged(ServerStateChanged m)
    {
        var server = _handle.Snapshot.FindServer(m.Server);
        if (server is null || !_usable.ContainsKey(m.Server)) return;
        _usable[m.Server] = m.Usable && server.EndPoint != null && !server.Config.Disabled;
        if (m.Transition == HealthTransition.WentUp && server.Config.SlowStart is { } ramp && ramp > TimeSpan.Zero)
            StartRamp(server, ramp);
        Publish();

        var snap = _handle.Snapshot;
        var tally = new HealthLog.Tally(snap.Active.Length, snap.Backups.Length, server.CurrentConns, server.Queued);
        var text = HealthLog.Describe(m.Transition, server.Backend, server.Name, server.Config.Backup, m.Why, tally);
        _log.Warning(text);
        _log.Syslog(HealthLog.LevelOf(m.Transition, _stopping.Contains(m.Server)), text);
        if (m.Transition == HealthTransition.WentNolb) _stopping.Add(m.Server); else _stopping.Remove(m.Server);
        if (m.Transition == HealthTransition.WentDown)
        {
            if (server.Config.OnMarkedDownShutdownSessions) server.ShutdownSessions();
            if (snap.Active.IsEmpty && snap.Backups.IsEmpty)
            {
                bool listen = snap.Config.Kind == Lb.Config.Model.SectionKind.Listen;
                _log.Alert(HealthLog.NoServer(server.Backend, listen));
                _log.Syslog(0, HealthLog.NoServer(server.Backend, listen, quoted: false));
            }
        }
        if (m.Transition == HealthTransition.WentUp && !server.Config.Backup && server.Config.OnMarkedUpShutdownBackupSessions)
            foreach (var b in snap.All)
                if (b.Config.Backup) b.ShutdownSessions();
    }

    private void StartRamp(ServerRuntime server, TimeSpan ramp)
    {
        _ramping[server] = Environment.TickCount64;
        server.SetRampWeight(SlowStart.Weight(server.Weight, TimeSpan.Zero, ramp));
        Timers.StartPeriodicTimer(SlowStartTimer, SlowStartTick.Instance, SlowStart.Step(ramp));
    }

    private void OnSlowStartTick()
    {
        var now = Environment.TickCount64;
        bool changed = false;
        foreach (var (server, since) in _ramping.ToList())
        {
            var ramp = server.Config.SlowStart ?? TimeSpan.Zero;
            var w = SlowStart.Weight(server.Weight, TimeSpan.FromMilliseconds(now - since), ramp);
            bool done = w >= server.Weight;
            if (w != server.EffectiveWeight || done) { server.SetRampWeight(done ? null : w); changed = true; }
            if (done) _ramping.Remove(server);
        }
        if (_ramping.Count == 0) Timers.Cancel(SlowStartTimer);
        // The balancer is rebuilt over the new effective weights.
        if (changed) Publish();
    }

    private void Publish()
    {
        var current = _handle.Snapshot;
        _handle.Publish(SnapshotBuilder.Build(current.Config, current.All, s => _usable[s.Name], current));
    }

    private void OnSetWeight(SetServerWeight m)
    {
        var current = _handle.Snapshot;
        if (current.FindServer(m.Server) is not { } server) return;
        int weight = Math.Clamp(m.Weight, 0, 256);
        if (server.Weight == weight) return;
        server.Weight = weight;
        Publish();
    }
}
