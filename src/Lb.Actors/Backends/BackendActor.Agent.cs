using Akka.Actor;
using Lb.Actors.Admin;
using Lb.Actors.Health;

namespace Lb.Actors.Backends;

/// <summary>
/// Agent checks, applied the way haproxy 2.6 applies an agent's line: the admin word first
/// (ready, drain, maint), then the weight ("75%" of the configured one) and "maxconn:N", then the
/// health word: "up" (L7OK) raises the agent's health to 1, "down"/"fail"/"stopped" (L7STS) drop
/// it to 0 and the server goes DOWN ("DOWN (agent)" in the stats). The server serves only when
/// its health check and its agent both allow it; connection failures of the agent change nothing.
/// </summary>
public sealed partial class BackendActor
{
    /// <summary>'set server BE/SRV agent-addr|agent-port|agent-send'; replies <see cref="AdminResult"/>.</summary>
    public sealed record SetAgentTarget(string Server, System.Net.IPAddress? Address, int? Port, byte[]? Send);

    private readonly Dictionary<string, bool> _checkUp = new(StringComparer.Ordinal);
    private bool _agentApplying;

    private void ReceiveAgent()
    {
        Receive<AgentCheckActor.Result>(OnAgentResult);
        Receive<SetAgentTarget>(m =>
        {
            var agent = Context.Child(AgentCheckActor.ChildName(m.Server));
            if (agent.IsNobody()) { Sender.Tell(new AdminResult(false, "agent checks are not enabled on this server")); return; }
            agent.Tell(new AgentCheckActor.Retarget(m.Address, m.Port, m.Send));
            Sender.Tell(AdminResult.Done);
        });
    }

    private void StartAgents()
    {
        int i = 0;
        foreach (var server in _handle.Snapshot.All)
        {
            if (server.Agent is null || AgentSettings.For(server.Config) is not { } settings) continue;
            // Spread the first agent checks over one interval, as the health checks are.
            var first = TimeSpan.FromTicks(settings.Inter.Ticks * i++ / Math.Max(1, _handle.Snapshot.All.Length));
            Context.ActorOf(AgentCheckActor.Props(server, settings, _handle.Snapshot.Config, first), AgentCheckActor.ChildName(server.Name));
        }
    }

    /// <summary>A health-check report while the agent holds the server DOWN: remembered, nothing changes (haproxy logs nothing).</summary>
    private bool AgentHolds(ServerRuntime server, ServerStateChanged m)
    {
        if (_agentApplying || server.Agent is null) return false;
        _checkUp[m.Server] = m.Usable;
        return server.Agent.IsDown;
    }

    private void OnAgentResult(AgentCheckActor.Result m)
    {
        if (_handle.Snapshot.FindServer(m.Server) is not { Agent: { } before } server) return;
        var probe = m.Probe;
        long ms = (long)probe.Duration.TotalMilliseconds;
        if (probe.Line is null)
        {
            // No line: reported, but an agent that cannot be reached never takes the server down.
            var status = probe.Failure == AgentStatus.Checked ? before.Status : probe.Failure;
            server.Agent = before with { Status = status, DurationMs = ms, LastText = probe.FailureText };
            return;
        }
        var reply = AgentReply.Parse(probe.Line);
        if (reply.Admin is { } admin)
        {
            var action = admin.ToLowerInvariant() switch { "drain" => ServerAdminAction.Drain, "maint" => ServerAdminAction.Maint, _ => ServerAdminAction.Ready };
            OnServerAdmin(new ServerAdmin(server.Name, action));
        }
        string? warning = null;
        if (reply.Weight is { } w)
        {
            if (ServerCommands.ParseWeight(server, w, out var weight) is { } error) warning = error.TrimEnd('\n');
            else if (server.Weight != weight)
            {
                server.Weight = weight;
                Publish();
            }
        }
        if (reply.MaxConn is { } mc)
        {
            if (ServerCommands.ParseMaxConn(mc, out var v) is { } error) warning ??= error;
            else ApplyMaxConn(server, v);
        }
        var (agentStatus, text) = reply.Describe(warning);
        int health = agentStatus == AgentStatus.L7Ok ? 1 : agentStatus == AgentStatus.L7Sts ? 0 : before.Health;
        var current = server.Agent ?? before;
        server.Agent = current with { Health = health, Status = agentStatus, DurationMs = ms, LastText = text };
        if (health != before.Health)
            AgentChanged(server, health == 1, new CheckResult(health == 1 ? CheckStatus.L7Ok : CheckStatus.L7Sts, 0, text, probe.Duration), forced: false);
    }

    /// <summary>'set server BE/SRV agent up|down': the agent's health is forced, the server follows ("changed from CLI").</summary>
    private AdminResult ForceAgent(ServerRuntime server, bool up)
    {
        var before = server.Agent!;
        server.Agent = before with { Health = up ? 1 : 0 };
        AgentChanged(server, up, new CheckResult(CheckStatus.Ini, null, "changed from CLI", TimeSpan.Zero), forced: true);
        return AdminResult.Done;
    }

    /// <summary>The agent's health moved: the server goes UP (if its health check allows) or DOWN, logged as haproxy does.</summary>
    private void AgentChanged(ServerRuntime server, bool up, CheckResult why, bool forced)
    {
        if (!_usable.TryGetValue(server.Name, out var was)) return;
        bool now = up && (forced || _checkUp.GetValueOrDefault(server.Name, true)) && server.EndPoint != null;
        if (now == was) return;
        var h = server.Health;
        var ms = Environment.TickCount64;
        server.PublishHealth(now
            ? h with { LastChangeMs = ms, DowntimeMs = h.DowntimeMs + (h.DownSinceMs is { } since ? ms - since : 0), DownSinceMs = null }
            : h with { LastChangeMs = ms, Downs = h.Downs + 1, DownSinceMs = ms });
        _agentApplying = true;
        try { OnStateChanged(new ServerStateChanged(server.Name, now ? HealthTransition.WentUp : HealthTransition.WentDown, why, now, FromCli: forced)); }
        finally { _agentApplying = false; }
    }
}
