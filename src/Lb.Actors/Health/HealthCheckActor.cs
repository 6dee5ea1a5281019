using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Config.Model;

namespace Lb.Actors.Health;

/// <summary>
/// The health checker of one server (child of its BackendActor, named check-SERVER). A timer
/// starts a probe; the probe runs on sockets asynchronously and its result is piped back, so the
/// actor never blocks. The result drives the server's <see cref="HealthMachine"/>; the new
/// health is published on the ServerRuntime for the stats, and a state change (DOWN, UP, NOLB)
/// is reported to the parent, which owns the snapshot. Passive checks ('observe') reach it as
/// <see cref="ErrorLimitReached"/> and are applied per 'on-error'.
/// </summary>
public sealed class HealthCheckActor : ReceiveActor, IWithTimers
{
    /// <summary>Settings shared by every checker of the node.</summary>
    public sealed record Settings(CheckSpread Spread, string NodeName);

    public sealed record ProbeDone(CheckResult Result);

    /// <summary>'error-limit' consecutive errors were seen in traffic.</summary>
    public sealed record ErrorLimitReached(int Errors, string LastError);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private const string TickTimer = "tick";
    private readonly ServerRuntime _server;
    private readonly BackendHandle _backend;
    private CheckTarget _target;
    private readonly Settings _settings;
    private readonly TimeSpan _firstDelay;
    private readonly HealthMachine _machine;
    private readonly CancellationTokenSource _stopping = new();
    private bool _probing;

    public HealthCheckActor(ServerRuntime server, BackendHandle backend, CheckTarget target, Settings settings, TimeSpan firstDelay)
    {
        _server = server;
        _backend = backend;
        _target = target;
        _settings = settings;
        _firstDelay = firstDelay;
        var c = server.Config;
        _machine = new HealthMachine(c.Rise, c.Fall, checkEnabled: true, maint: c.Disabled);
        Receive<Tick>(_ => StartProbe());
        Receive<ProbeDone>(OnProbeDone);
        Receive<ErrorLimitReached>(OnErrorLimit);
        Receive<AdminChanged>(OnAdminChanged);
        Receive<ForceHealth>(OnForceHealth);
        Receive<TargetChanged>(m => _target = m.Target);
    }

    /// <summary>The server's admin state changed (runtime API, stats page): MAINT/DRAIN, checks on or off.</summary>
    public sealed record AdminChanged(bool Maint, bool Drain, bool ChecksDisabled);

    /// <summary>The server's or the check's address changed ('set server ... addr|check-addr|check-port'): the next probes go there.</summary>
    public sealed record TargetChanged(CheckTarget Target);

    /// <summary>'set server BE/SRV health up|stopping|down': the check state is forced.</summary>
    public sealed record ForceHealth(bool Up, bool Stopping);

    private bool _checksDisabled;

    private void OnAdminChanged(AdminChanged m)
    {
        bool wasMaint = _machine.Maint, wasDrain = _machine.Drain;
        _machine.SetMaint(m.Maint);
        _machine.SetDrain(m.Drain);
        _checksDisabled = m.ChecksDisabled;
        var before = _server.Health;
        var next = before with { Status = _machine.Describe(), HealthValue = _machine.Health };
        var now = Environment.TickCount64;
        if (wasMaint != m.Maint || wasDrain != m.Drain) next = next with { LastChangeMs = now };
        // Maintenance takes an UP server down: haproxy counts it in chkdown and downtime.
        if (!wasMaint && m.Maint && _machine.IsUp) next = next with { Downs = before.Downs + 1, DownSinceMs = now };
        if (wasMaint && !m.Maint && _machine.IsUp && before.DownSinceMs is { } since)
            next = next with { DowntimeMs = before.DowntimeMs + (now - since), DownSinceMs = null };
        _server.PublishHealth(next);
        // Leaving maintenance: check at once rather than after a whole interval.
        if (wasMaint && !m.Maint && !_checksDisabled && !_probing) Timers.StartSingleTimer(TickTimer, Tick.Instance, TimeSpan.Zero);
    }

    private void OnForceHealth(ForceHealth m)
    {
        var before = _server.Health;
        var t = _machine.Force(m.Up, m.Stopping);
        Publish(before, new CheckResult(before.LastCheck ?? CheckStatus.Ini, before.LastCode, "changed from CLI", TimeSpan.Zero), t, counted: false, hana: false, keepLastCheck: true);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ServerRuntime server, BackendHandle backend, CheckTarget target, Settings settings, TimeSpan firstDelay) =>
        Akka.Actor.Props.Create(() => new HealthCheckActor(server, backend, target, settings, firstDelay));

    /// <summary>The child name under the backend actor.</summary>
    public static string ChildName(string server) => "check-" + Uri.EscapeDataString(server);

    protected override void PreStart()
    {
        var self = Self;
        _server.Observer?.Attach((n, what) => self.Tell(new ErrorLimitReached(n, what)));
        Timers.StartSingleTimer(TickTimer, Tick.Instance, _firstDelay);
    }

    protected override void PostStop()
    {
        _server.Observer?.Attach(null);
        _stopping.Cancel(); // not disposed: a probe still running may hold its token
    }

    private void StartProbe()
    {
        if (_probing) return;
        // Checks pause in maintenance, as in haproxy (the stats keep showing no check result).
        if (_machine.Maint || _checksDisabled) { ScheduleNext(); return; }
        _probing = true;
        var state = _target.Http is { SendState: true } ? StateHeader() : null;
        CheckProbe.RunAsync(_target, state, _machine.IsUp, _stopping.Token)
            .PipeTo(Self, success: r => new ProbeDone(r),
                failure: e => new ProbeDone(new CheckResult(CheckStatus.SockErr, null, e.GetBaseException().Message, TimeSpan.Zero)));
    }

    private void OnProbeDone(ProbeDone m)
    {
        _probing = false;
        var r = m.Result;
        var before = _server.Health;
        HealthTransition t;
        bool counted = false;
        switch (r.Verdict)
        {
            case CheckVerdict.Passed: t = _machine.Pass(); break;
            case CheckVerdict.ConditionalPass:
                counted = !_machine.IsUp && _machine.Health > 0;
                t = _machine.ConditionalPass();
                break;
            default: (t, counted) = _machine.Fail(); break;
        }
        Publish(before, r, t, counted, hana: false);
        ScheduleNext();
    }

    private void OnErrorLimit(ErrorLimitReached m)
    {
        var why = new CheckResult(CheckStatus.Hana, null, $"Detected {m.Errors} consecutive errors, last one was: {m.LastError}", TimeSpan.Zero);
        var before = _server.Health;
        var (t, counted) = _server.Config.OnError switch
        {
            OnErrorAction.FailCheck => _machine.Fail(),
            OnErrorAction.SuddenDeath => _machine.SuddenDeath(),
            OnErrorAction.MarkDown => _machine.MarkDown(),
            _ => (HealthTransition.None, false),
        };
        if (_server.Config.OnError != OnErrorAction.FastInter) Publish(before, why, t, counted, hana: true);
        // Every on-error mode checks again at 'fastinter' if that comes sooner.
        if (!_probing && _server.Config.FastInter is { } fast) Timers.StartSingleTimer(TickTimer, Tick.Instance, fast);
    }

    private void ScheduleNext()
    {
        var c = _server.Config;
        var next = _machine.NextInterval(c.Inter, c.FastInter, c.DownInter);
        Timers.StartSingleTimer(TickTimer, Tick.Instance, _settings.Spread.Jitter(next));
    }

    private void Publish(ServerHealth before, CheckResult r, HealthTransition t, bool counted, bool hana, bool keepLastCheck = false)
    {
        hana |= keepLastCheck;
        var now = Environment.TickCount64;
        var next = before with
        {
            Status = _machine.Describe(),
            HealthValue = _machine.Health,
            LastCheck = hana ? before.LastCheck : r.Status,
            LastCode = hana ? before.LastCode : r.Code,
            LastDurationMs = hana ? before.LastDurationMs : (long)r.Duration.TotalMilliseconds,
            LastInfo = hana ? before.LastInfo : r.Info,
            FailedChecks = before.FailedChecks + (counted && !hana ? 1 : 0),
            FailedObservations = before.FailedObservations + (hana && !keepLastCheck ? 1 : 0),
        };
        if (t != HealthTransition.None) next = next with { LastChangeMs = now };
        if (t == HealthTransition.WentDown) next = next with { Downs = before.Downs + 1, DownSinceMs = now };
        if (t == HealthTransition.WentUp && before.DownSinceMs is { } since)
            next = next with { DowntimeMs = before.DowntimeMs + (now - since), DownSinceMs = null };
        _server.PublishHealth(next);
        if (t != HealthTransition.None)
            Context.Parent.Tell(new BackendActor.ServerStateChanged(_server.Name, t, r, _machine.IsUp && !_machine.Stopping, FromCli: keepLastCheck));
    }

    /// <summary>"UP 2/3; address=...; port=...; name=be/srv; node=...; weight=W/T; scur=S/B; qcur=Q".</summary>
    private string StateHeader()
    {
        var snap = _backend.Snapshot;
        int total = 0;
        long backendConns = 0;
        foreach (var s in snap.Serving) total += s.EffectiveWeight;
        foreach (var s in snap.All) backendConns += s.CurrentConns;
        var ep = _server.EndPoint;
        return HttpCheckRequest.StateHeader(_machine.Describe(), ep?.Address.ToString() ?? "", ep?.Port ?? 0, _server.Backend, _server.Name,
            _settings.NodeName, _server.EffectiveWeight, total, _server.CurrentConns, backendConns, _server.Queued);
    }
}
