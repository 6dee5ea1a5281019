using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Sessions;
using Lb.Actors.Streams;
using Lb.Config.Model;

namespace Lb.Actors;

/// <summary>
/// The node's top-level actor, /user/lb: builds the backends' published state, starts one
/// actor per backend and per frontend, and reports through <see cref="Started"/> once every
/// frontend has bound its addresses — or why one could not (the node then exits non-zero).
/// </summary>
public sealed class LbRoot : ReceiveActor
{
    public const string Name = "lb";

    /// <summary>Asks for the configuration this node runs; the reply is the <see cref="LbConfig"/>.</summary>
    public sealed record GetConfig
    {
        public static readonly GetConfig Instance = new();
    }

    private readonly LbConfig _config;
    private readonly TaskCompletionSource<IReadOnlyList<string>> _started;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _binding = new(StringComparer.Ordinal);
    private readonly List<string> _listening = new();

    public LbRoot(LbConfig config, TaskCompletionSource<IReadOnlyList<string>>? started = null)
    {
        _config = config;
        _started = started ?? new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Receive<GetConfig>(_ => Sender.Tell(_config));
        Receive<GetNodeStats>(_ => Sender.Tell(_node));
        Receive<FrontendActor.Bound>(OnBound);
        Receive<Drain>(_ => OnDrain());
        Receive<FrontendActor.Drained>(d => OnDrained(d.Frontend));
    }

    /// <param name="started">completes with one line per listening address, or faults with the bind error</param>
    public static Props Props(LbConfig config, TaskCompletionSource<IReadOnlyList<string>>? started = null) =>
        Akka.Actor.Props.Create(() => new LbRoot(config, started));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        // A frontend that cannot bind is a startup error; anything else stops only that child.
        var cause = e is ActorInitializationException { InnerException: { } inner } ? inner : e;
        if (_started.TrySetException(cause)) return Akka.Actor.Directive.Stop;
        _log.Error(cause, "child failed: {0}", cause.Message);
        return Akka.Actor.Directive.Stop;
    });

    protected override void PreStart()
    {
        _logs = new Logging.LogService(_config);
        Context.ActorOf(Logging.LogActor.Props(_logs), Logging.LogActor.Name);
        var stickWarnings = new List<string>();
        var backends = BackendRegistry.Build(_config, conditions: new Rules.StickConditionCompiler(stickWarnings));
        foreach (var w in stickWarnings) _log.Warning(w);
        _globalLimit = new ConnectionLimiter(_config.Global.MaxConn ?? 0);
        _node = new Stats.NodeStats(_config, backends, _globalLimit) { System = Context.System };
        _node.Patterns = Rules.Patterns.PatternStore.For(backends); // runtime acl/map changes reach the compiled rules
        foreach (var warning in backends.Warnings) _log.Warning(warning);
        foreach (var w in Rules.RuleBook.For(backends).Warnings) _log.Warning(w); // backends' ACLs and rules, compiled once
        var checks = new Health.HealthCheckActor.Settings(Health.CheckSpread.For(_config), _config.Global.NodeName ?? Environment.MachineName);
        int position = 0;
        foreach (var handle in backends.All)
        {
            var actor = Context.ActorOf(BackendActor.Props(handle, checks, position, Logging.ProxyEventLog.HealthLogFor(_logs, handle.Snapshot.Config)),
                "backend-" + Uri.EscapeDataString(handle.Name));
            position += BackendActor.CheckedServers(handle.Snapshot.Config);
            foreach (var p in _node.Proxies) if (p.Backend == handle) p.BackendActor = actor;
        }
        // Every frontend's runtime exists before the first one starts, so the stats see them all.
        foreach (var p in _node.Proxies)
            if (p.Config.IsFrontend && !p.Config.Disabled && !p.Config.Binds.IsEmpty) p.Frontend = new FrontendRuntime(p.Config, backends, _node);
        Rules.Patterns.PatternStore.For(backends).Declare(_node.Proxies.Select(p => p.Config), backends);
        if (!_config.Global.StatsSockets.IsEmpty)
        {
            try
            {
                Context.ActorOf(Admin.AdminActor.Props(Admin.AdminActor.Bind(_node)), Admin.AdminActor.Name);
            }
            catch (IOException e)
            {
                _started.TrySetException(e);
                Context.Stop(Self);
                return;
            }
        }

        Context.System.Settings.InjectTopLevelFallback(IoThreadExecutorConfigurator.DispatcherConfig);
        var materializer = Context.Materializer(ActorMaterializerSettings.Create(Context.System)
            .WithDispatcher(IoThreadExecutorConfigurator.DispatcherId));
        _sessionContext = new SessionContext(materializer, backends);
        _backends = backends;
        foreach (var fe in _config.Frontends.Where(f => !f.Disabled && !f.Binds.IsEmpty))
        {
            _binding.Add(fe.Name);
            _toStart.Enqueue(fe);
        }
        if (_binding.Count == 0) Ready();
        else StartNextFrontend();
    }

    // Frontends start one after the other, in config order, each once the previous one listens:
    // a client that reaches a later frontend can rely on the earlier ones (a stats listener,
    // say) being bound already, as with haproxy, which binds everything before serving.
    private readonly Queue<Proxy> _toStart = new();
    private SessionContext _sessionContext = null!;
    private ConnectionLimiter _globalLimit = null!;
    private BackendRegistry _backends = null!;
    private Stats.NodeStats _node = null!;

    /// <summary>The node's stats registry (the stats page and the runtime API read it).</summary>
    public sealed record GetNodeStats
    {
        public static readonly GetNodeStats Instance = new();
    }
    private Logging.LogService _logs = null!;

    private void StartNextFrontend()
    {
        if (!_toStart.TryDequeue(out var fe)) return;
        var entry = _node.Proxies.FirstOrDefault(p => ReferenceEquals(p.Config, fe));
        var runtime = entry?.Frontend ?? new FrontendRuntime(fe, _backends, _node);
        runtime.Log = Logging.FrontendLog.Create(_logs, runtime, _globalLimit);
        foreach (var problem in _logs.TakeProblems()) _log.Warning(problem);
        foreach (var w in runtime.Rules.Warnings) _log.Warning(w);
        var actor = Context.ActorOf(FrontendActor.Props(runtime, _sessionContext, _globalLimit), "frontend-" + Uri.EscapeDataString(fe.Name));
        if (entry != null) entry.FrontendActor = actor;
    }

    /// <summary>Soft stop: every frontend stops accepting; the reply <see cref="Drained"/> comes when no session is left.</summary>
    public sealed record Drain
    {
        public static readonly Drain Instance = new();
    }

    public sealed record Drained
    {
        public static readonly Drained Instance = new();
    }

    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);
    private IActorRef? _drainRequester;

    private void OnDrain()
    {
        _drainRequester = Sender;
        _toStart.Clear(); // not started yet: nothing to drain
        Logging.ProxyEventLog.Stopped(_logs, _config, _backends);
        foreach (var child in Context.GetChildren().Where(c => c.Path.Name.StartsWith("frontend-")))
        {
            _draining.Add(Uri.UnescapeDataString(child.Path.Name["frontend-".Length..]));
            child.Tell(new FrontendActor.Drain());
        }
        if (_draining.Count == 0) _drainRequester.Tell(Drained.Instance);
    }

    private void OnDrained(string frontend)
    {
        if (_draining.Remove(frontend) && _draining.Count == 0) _drainRequester?.Tell(Drained.Instance);
    }

    private void OnBound(FrontendActor.Bound b)
    {
        foreach (var ep in b.EndPoints)
        {
            var line = $"frontend '{b.Frontend}' listening on {ep}";
            _listening.Add(line);
            _log.Info(line);
        }
        _binding.Remove(b.Frontend);
        if (_binding.Count == 0) Ready();
        else StartNextFrontend();
    }

    private void Ready()
    {
        _log.Info("ready: {0} frontends listening, {1} backends", _config.Frontends.Count(f => !f.Disabled && !f.Binds.IsEmpty), _config.Backends.Count());
        _started.TrySetResult(_listening);
    }

    /// <summary>What the node serves, one line per frontend.</summary>
    public static IEnumerable<string> Describe(LbConfig config)
    {
        foreach (var p in config.Frontends)
        {
            var binds = p.Binds.SelectMany(b => b.Endpoints).Select(e => e.Text).ToList();
            yield return $"{p.Kind.ToString().ToLowerInvariant()} '{p.Name}' ({p.Mode.ToString().ToLowerInvariant()}) on {(binds.Count == 0 ? "(no bind)" : string.Join(", ", binds))}";
        }
        yield return $"loaded {config.Frontends.Count()} frontends, {config.Backends.Count()} backends";
    }
}
