using System.Net;
using Akka.Actor;
using Lb.Actors.Backends;

namespace Lb.Actors.Health;

/// <summary>
/// The agent checker of one server with 'agent-check' (child of its BackendActor, named
/// agent-SERVER): every 'agent-inter' it asks the agent (<see cref="AgentProbe"/>, async, piped
/// back) and hands the answer to the backend actor, which owns the server's state and applies it.
/// Paused by 'disable agent'; keeps running in maintenance, so that the agent can end it.
/// </summary>
public sealed class AgentCheckActor : ReceiveActor, IWithTimers
{
    /// <summary>An agent's answer, for the backend actor.</summary>
    public sealed record Result(string Server, AgentProbeResult Probe);

    /// <summary>'set server ... agent-addr|agent-port|agent-send' (null: unchanged).</summary>
    public sealed record Retarget(IPAddress? Address, int? Port, byte[]? Send);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Done(AgentProbeResult Probe);

    private readonly ServerRuntime _server;
    private readonly TimeSpan _connectTimeout, _readTimeout;
    private readonly CancellationTokenSource _stopping = new();
    private AgentSettings _settings;
    private bool _probing;

    public AgentCheckActor(ServerRuntime server, AgentSettings settings, Lb.Config.Model.Proxy backend, TimeSpan firstDelay)
    {
        _server = server;
        _settings = settings;
        // haproxy's check timeouts: connecting within min('timeout connect', inter), reading within 'timeout check' or inter.
        _connectTimeout = backend.Timeouts.Connect is { } c && c < settings.Inter ? c : settings.Inter;
        _readTimeout = backend.Timeouts.Check ?? settings.Inter;
        FirstDelay = firstDelay;
        Receive<Tick>(_ => Start());
        Receive<Done>(m =>
        {
            _probing = false;
            Context.Parent.Tell(new Result(_server.Name, m.Probe));
            Timers.StartSingleTimer("tick", Tick.Instance, _settings.Inter);
        });
        Receive<Retarget>(m => _settings = _settings with
        {
            Address = m.Address ?? _settings.Address,
            Port = m.Port ?? _settings.Port,
            Send = m.Send ?? _settings.Send,
        });
        Receive<AdminResult>(_ => { }); // the backend actor's answers to the agent's admin words
    }

    private TimeSpan FirstDelay { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ServerRuntime server, AgentSettings settings, Lb.Config.Model.Proxy backend, TimeSpan firstDelay) =>
        Akka.Actor.Props.Create(() => new AgentCheckActor(server, settings, backend, firstDelay));

    public static string ChildName(string server) => "agent-" + Uri.EscapeDataString(server);

    protected override void PreStart() => Timers.StartSingleTimer("tick", Tick.Instance, FirstDelay);

    protected override void PostStop() => _stopping.Cancel();

    private void Start()
    {
        if (_probing) return;
        if ((_server.Admin & AdminFlags.AgentDisabled) != 0 || _settings.EndPoint(_server.EndPoint) is not { } target)
        {
            Timers.StartSingleTimer("tick", Tick.Instance, _settings.Inter);
            return;
        }
        _probing = true;
        AgentProbe.RunAsync(target, _settings.Send, _connectTimeout, _readTimeout, _stopping.Token)
            .PipeTo(Self, success: r => new Done(r),
                failure: e => new Done(new AgentProbeResult(null, AgentStatus.SockErr, e.GetBaseException().Message, TimeSpan.Zero)));
    }
}
