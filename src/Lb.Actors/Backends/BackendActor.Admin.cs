using Akka.Actor;
using Lb.Actors.Health;

namespace Lb.Actors.Backends;

/// <summary>What the runtime API and the stats page can do to one server.</summary>
public enum ServerAdminAction
{
    Ready, Drain, Maint,
    HealthUp, HealthStopping, HealthDown, EnableHealth, DisableHealth,
    AgentUp, AgentDown, EnableAgent, DisableAgent,
    EnableAgentChecks, // 'enable agent' on a server that has an agent check (internal)
    ShutdownSessions,
}

/// <summary>The answer to an admin change: done, or haproxy's error text.</summary>
public sealed record AdminResult(bool Ok, string? Error)
{
    public static readonly AdminResult Done = new(true, null);
}

public sealed partial class BackendActor
{
    /// <summary>An admin change on a server; the reply is an <see cref="AdminResult"/>.</summary>
    public sealed record ServerAdmin(string Server, ServerAdminAction Action);

    /// <summary>'clear counters [all]' for this backend and its servers; replies <see cref="AdminResult.Done"/>.</summary>
    public sealed record ClearCounters(bool All);

    private void ReceiveAdmin()
    {
        Receive<ServerAdmin>(OnServerAdmin);
        Receive<ClearCounters>(m =>
        {
            foreach (var s in _handle.Snapshot.All) s.ClearCounters(m.All);
            if (m.All) _handle.Counters.ClearAll(); else _handle.Counters.ClearMax();
            Sender.Tell(AdminResult.Done);
        });
    }

    private void OnServerAdmin(ServerAdmin m)
    {
        var server = _handle.Snapshot.FindServer(m.Server);
        if (server is null) { Sender.Tell(new AdminResult(false, "No such server.")); return; }
        // Agent checks ('agent-check'): see BackendActor.Agent.cs.
        if (m.Action is ServerAdminAction.EnableAgent or ServerAdminAction.AgentUp or ServerAdminAction.AgentDown && server.Agent != null)
        {
            if (m.Action == ServerAdminAction.EnableAgent) m = m with { Action = ServerAdminAction.EnableAgentChecks };
            else { Sender.Tell(ForceAgent(server, m.Action == ServerAdminAction.AgentUp)); return; }
        }
        var before = server.Admin;
        var flags = before;
        var checker = Context.Child(HealthCheckActor.ChildName(server.Name));
        bool hasChecker = !checker.IsNobody();
        switch (m.Action)
        {
            case ServerAdminAction.Ready: flags &= ~(AdminFlags.Maint | AdminFlags.Drain); break;
            case ServerAdminAction.Drain: flags = (flags & ~AdminFlags.Maint) | AdminFlags.Drain; break;
            case ServerAdminAction.Maint: flags = (flags & ~AdminFlags.Drain) | AdminFlags.Maint; break;
            case ServerAdminAction.DisableHealth: flags |= AdminFlags.ChecksDisabled; break;
            case ServerAdminAction.EnableHealth: flags &= ~AdminFlags.ChecksDisabled; break;
            case ServerAdminAction.DisableAgent: flags |= AdminFlags.AgentDisabled; break;
            case ServerAdminAction.EnableAgentChecks: flags &= ~AdminFlags.AgentDisabled; break;
            case ServerAdminAction.EnableAgent or ServerAdminAction.AgentUp or ServerAdminAction.AgentDown:
                // Agent checks ('agent-check') are not implemented: haproxy's answers for a server without one.
                Sender.Tell(new AdminResult(false, m.Action == ServerAdminAction.EnableAgent
                    ? "Agent was not configured on this server, cannot enable."
                    : "agent checks are not enabled on this server."));
                return;
            case ServerAdminAction.HealthUp or ServerAdminAction.HealthStopping or ServerAdminAction.HealthDown:
                if (hasChecker)
                    checker.Tell(new HealthCheckActor.ForceHealth(m.Action != ServerAdminAction.HealthDown, m.Action == ServerAdminAction.HealthStopping));
                Sender.Tell(AdminResult.Done);
                return;
            case ServerAdminAction.ShutdownSessions:
                server.ShutdownSessions('K');
                Sender.Tell(AdminResult.Done);
                return;
        }
        if (flags == before) { Sender.Tell(AdminResult.Done); return; }
        server.Admin = flags;
        bool maint = (flags & AdminFlags.Maint) != 0, drain = (flags & AdminFlags.Drain) != 0;
        if (hasChecker) checker.Tell(new HealthCheckActor.AdminChanged(maint, drain, (flags & AdminFlags.ChecksDisabled) != 0));
        else if (((before ^ flags) & (AdminFlags.Maint | AdminFlags.Drain)) != 0)
            server.PublishHealth(server.Health with { LastChangeMs = Environment.TickCount64 });
        bool wasOut = (before & (AdminFlags.Maint | AdminFlags.Drain)) != 0, isOut = (flags & (AdminFlags.Maint | AdminFlags.Drain)) != 0;
        // Leaving maintenance ramps up with 'slowstart', as in haproxy.
        if (wasOut && !isOut && (before & AdminFlags.Maint) != 0 && server.Config.SlowStart is { } ramp && ramp > TimeSpan.Zero)
            StartRamp(server, ramp);
        int requeued = Publish(server);
        if (!wasOut && isOut)
        {
            server.Pool.Drain();
            if (Redispatches) requeued = _handle.Queue.Redistribute(server);
        }
        LogAdminChange(server, before, flags, requeued);
        Sender.Tell(AdminResult.Done);
    }

    private void LogAdminChange(ServerRuntime server, AdminFlags before, AdminFlags after, int requeued)
    {
        var snap = _handle.Snapshot;
        var tally = new HealthLog.Tally(snap.Active.Length, snap.Backups.Length, server.CurrentConns, server.Queued, requeued);
        bool wasMaint = (before & AdminFlags.Maint) != 0, isMaint = (after & AdminFlags.Maint) != 0;
        bool wasDrain = (before & AdminFlags.Drain) != 0, isDrain = (after & AdminFlags.Drain) != 0;
        var backup = server.Config.Backup;
        if (!wasMaint && isMaint) _log.Warning(HealthLog.EnteringMaint(server.Backend, server.Name, backup, tally));
        else if (wasMaint && !isMaint && !isDrain) _log.Warning(HealthLog.LeavingMaint(server.Backend, server.Name, backup));
        if (!wasDrain && isDrain) _log.Warning(HealthLog.EnteringDrain(server.Backend, server.Name, backup, tally));
        else if (wasDrain && !isDrain && !isMaint) _log.Warning(HealthLog.LeavingDrain(server.Backend, server.Name, backup));
        if (isMaint && snap.Active.IsEmpty && snap.Backups.IsEmpty)
            _log.Alert(HealthLog.NoServer(server.Backend, snap.Config.Kind == Lb.Config.Model.SectionKind.Listen));
    }
}
