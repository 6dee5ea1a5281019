using Akka.Actor;
using Lb.Actors.Health;

namespace Lb.Actors.Backends;

/// <summary>
/// Owns one backend's server states and publishes a new <see cref="BackendSnapshot"/> whenever
/// one changes; the sessions only ever read the published snapshot. Starts one health checker
/// per server with 'check' (children named check-SERVER, stopped with the backend), turns their
/// state changes into snapshots, haproxy-worded log lines, session shutdowns and slowstart ramps.
/// </summary>
public sealed partial class BackendActor : ReceiveActor, IWithTimers
{
    /// <summary>Takes a server in or out of balanced traffic (admin state, runtime API).</summary>
    public sealed record SetServerUsable(string Server, bool Usable);

    /// <summary>A checker's report: the server went DOWN, UP, NOLB or back from NOLB.</summary>
    public sealed record ServerStateChanged(string Server, HealthTransition Transition, CheckResult Why, bool Usable, bool FromCli = false);

    /// <summary>Sets a server's user weight (0..256; 0 = no balanced traffic), as 'set weight' does.</summary>
    public sealed record SetServerWeight(string Server, int Weight);

    private sealed record SlowStartTick(ServerRuntime Server);

    private sealed record PurgePools
    {
        public static readonly PurgePools Instance = new();
    }
    private readonly BackendHandle _handle;
    private readonly HealthCheckActor.Settings? _checks;
    private readonly int _firstPosition;
    private readonly HealthLog _log;
    private readonly Dictionary<string, bool> _usable = new(StringComparer.Ordinal);
    private readonly Dictionary<ServerRuntime, long> _ramping = new();
    private readonly bool _dynamicWeights;
    private readonly HashSet<string> _stopping = new(StringComparer.Ordinal); // NOLB servers, for the syslog level

    /// <param name="checks">null: no health checks (tests of the snapshot alone)</param>
    /// <param name="firstPosition">this backend's first checked server's position in the node (spreads first checks)</param>
    public BackendActor(BackendHandle handle, HealthCheckActor.Settings? checks = null, int firstPosition = 0, HealthLog? log = null)
    {
        _handle = handle;
        _checks = checks;
        _firstPosition = firstPosition;
        _log = log ?? HealthLog.StdErr;
        _dynamicWeights = Balancing.BalancerFactory.HasDynamicWeights(handle.Snapshot.Config);
        // Operational usability; the admin state (MAINT, DRAIN) is applied on top in Publish.
        foreach (var s in handle.Snapshot.All)
            _usable[s.Name] = s.EndPoint != null;
        Receive<SetServerUsable>(OnSetUsable);
        Receive<ServerStateChanged>(OnStateChanged);
        Receive<SlowStartTick>(OnSlowStartTick);
        Receive<SetServerWeight>(OnSetWeight);
        Receive<PurgePools>(_ => { foreach (var s in _handle.Snapshot.All) s.Pool.Purge(); });
        ReceiveAdmin();
        ReceiveRuntimeChanges();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(BackendHandle handle, HealthCheckActor.Settings? checks = null, int firstPosition = 0, HealthLog? log = null) =>
        Akka.Actor.Props.Create(() => new BackendActor(handle, checks, firstPosition, log));

    /// <summary>How many checkers a backend starts (LbRoot numbers them across the node).</summary>
    public static int CheckedServers(Lb.Config.Model.Proxy backend) => backend.Servers.Count(s => s.Check);

    protected override void PreStart()
    {
        StartAgents();
        // Idle HTTP server connections: half of those beyond the recent need close every pool-purge-delay.
        var purge = _handle.Snapshot.All.Where(s => s.Pool.KeepsIdle).Select(s => s.Pool.PurgeDelay).DefaultIfEmpty().Min();
        if (_handle.Snapshot.Config.Mode == Lb.Config.Model.ProxyMode.Http && purge > TimeSpan.Zero)
            Timers.StartPeriodicTimer("purge-pools", PurgePools.Instance, purge);
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

    protected override void PostStop()
    {
        foreach (var s in _handle.Snapshot.All) s.Pool.Drain();
    }

    private void OnSetUsable(SetServerUsable m)
    {
        if (!_usable.TryGetValue(m.Server, out var was) || was == m.Usable) return;
        _usable[m.Server] = m.Usable;
        // Leaving maintenance ramps up too, as in haproxy.
        var server = _handle.Snapshot.FindServer(m.Server);
        if (m.Usable && server is { Config.SlowStart: { } ramp } && ramp > TimeSpan.Zero)
            StartRamp(server, ramp);
        Publish();
        if (!m.Usable && server != null)
        {
            server.Pool.Drain();
            if (Redispatches) _handle.Queue.Redistribute(server);
        }
    }

    // 'option redispatch' without 'option persist': a server leaving hands its queue to the others.
    private bool Redispatches => _handle.Snapshot.Config.HasOption("redispatch") && !_handle.Snapshot.Config.HasOption("persist");

    private void OnStateChanged(ServerStateChanged m)
    {
        var server = _handle.Snapshot.FindServer(m.Server);
        if (server is null || !_usable.ContainsKey(m.Server)) return;
        if (AgentHolds(server, m)) return;
        _usable[m.Server] = m.Usable && server.EndPoint != null;
        if (m.Transition == HealthTransition.WentUp && server.Config.SlowStart is { } ramp && ramp > TimeSpan.Zero)
            StartRamp(server, ramp);
        int requeued = Publish(server);
        // A server going DOWN hands its queue to the others with 'option redispatch' (haproxy's pendconn_redistribute).
        if (m.Transition == HealthTransition.WentDown)
        {
            server.Pool.Drain(); // idle connections to a dead server are of no use
            if (Redispatches) requeued = _handle.Queue.Redistribute(server);
        }

        var snap = _handle.Snapshot;
        var tally = new HealthLog.Tally(snap.Active.Length, snap.Backups.Length, server.CurrentConns, server.Queued, requeued);
        var text = m.FromCli ? HealthLog.DescribeForced(m.Transition, server.Backend, server.Name, server.Config.Backup, tally)
            : HealthLog.Describe(m.Transition, server.Backend, server.Name, server.Config.Backup, m.Why, tally);
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

    // One timer per ramping server, ticking every second from the moment it came up, as haproxy's
    // warmup task does: the ramp moves in whole seconds since that moment.
    private void StartRamp(ServerRuntime server, TimeSpan ramp)
    {
        _ramping[server] = Environment.TickCount64;
        ApplyRamp(server, 0, SlowStart.Seconds(ramp));
        Timers.StartPeriodicTimer(RampTimer(server), new SlowStartTick(server), SlowStart.Step);
    }

    private static string RampTimer(ServerRuntime server) => "slowstart:" + server.Name;

    private void OnSlowStartTick(SlowStartTick tick)
    {
        var server = tick.Server;
        if (!_ramping.TryGetValue(server, out var since)) { Timers.Cancel(RampTimer(server)); return; }
        long elapsed = (Environment.TickCount64 - since + 500) / 1000;
        int seconds = SlowStart.Seconds(server.Config.SlowStart ?? TimeSpan.Zero);
        int limit = server.SlotLimit;
        bool changed = ApplyRamp(server, elapsed, seconds);
        if (server.SlotLimit > limit && !changed) _handle.Queue.Grab(server);
        if (!SlowStart.Ramping(elapsed, seconds))
        {
            _ramping.Remove(server);
            Timers.Cancel(RampTimer(server));
        }
        // The balancer is rebuilt over the new effective weight.
        if (changed) Publish();
    }

    /// <summary>Sets the ramp's weight factor (dynamic algorithms only) and connection limit; true when the weight moved.</summary>
    private bool ApplyRamp(ServerRuntime server, long elapsed, int seconds)
    {
        int factor = _dynamicWeights ? SlowStart.WeightFactor(elapsed, seconds) : SlowStart.FullFactor;
        int before = server.WeightFactor;
        server.SetRamp(factor, SlowStart.MaxConn(server.MaxConn, elapsed, seconds));
        return factor != before;
    }

    /// <summary>Publishes the new snapshot; the balanced servers then take what they can from the
    /// backend's queue (a server back UP, a grown slowstart limit). Returns how many <paramref name="watch"/> took.</summary>
    private int Publish(ServerRuntime? watch = null)
    {
        var current = _handle.Snapshot;
        var next = SnapshotBuilder.Build(current.Config, current.All,
            s => _usable[s.Name] && (s.Admin & (AdminFlags.Maint | AdminFlags.Drain)) == 0, current);
        _handle.Publish(next);
        int taken = 0;
        if (_handle.Queue.BackendQueued == 0) return 0;
        foreach (var s in next.Balanced)
        {
            int n = _handle.Queue.Grab(s);
            if (s == watch) taken = n;
        }
        return taken;
    }

    private void OnSetWeight(SetServerWeight m)
    {
        var current = _handle.Snapshot;
        if (current.FindServer(m.Server) is not { } server) { Sender.Tell(new AdminResult(false, "No such server.")); return; }
        int weight = Math.Clamp(m.Weight, 0, 256);
        if (server.Weight != weight)
        {
            server.Weight = weight;
            Publish();
        }
        Sender.Tell(AdminResult.Done);
    }
}
