using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster;
using Lb.Actors;
using Lb.Config.Model;

namespace Lb.Node;

/// <summary>
/// Runs the node: the ActorSystem "lb" with the cluster provider, a self-join when no seed
/// nodes are configured, /user/lb, then a graceful CoordinatedShutdown on SIGINT/SIGTERM.
/// </summary>
public static class NodeHost
{
    public const string SystemName = "lb";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Why the node shuts down: a signal from the operator.</summary>
    public sealed class SignalReason(PosixSignal signal) : CoordinatedShutdown.Reason
    {
        public PosixSignal Signal { get; } = signal;
        public override int ExitCode => 0;
        public override string ToString() => $"received {Signal}";
    }

    /// <summary>Default bound on how long a stopping node waits for its sessions to finish.</summary>
    public static readonly TimeSpan DefaultDrainBound = TimeSpan.FromSeconds(5);

    // On shutdown, before the cluster is left: stop accepting, then let sessions finish, up to
    // 'hard-stop-after' (global) or 5 s; the rest are cut when the actor system terminates.
    private static void RegisterSoftStop(ActorSystem system, IActorRef root, LbConfig config)
    {
        var bound = HardStopAfter(config) ?? DefaultDrainBound;
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "lb-drain", async () =>
        {
            try { await root.Ask<LbRoot.Drained>(LbRoot.Drain.Instance, bound); }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { }
            return Akka.Done.Instance;
        });
    }

    private static TimeSpan? HardStopAfter(LbConfig config)
    {
        var d = config.Global.OtherDirectives.FirstOrDefault(x => x.Keyword == "hard-stop-after");
        return d is { Words.Length: > 1 } && Lb.Config.Values.TimeParser.TryParse(d.Words[1], "hard-stop-after", out var t) is null ? t : null;
    }

    /// <summary>0 after a signal-driven shutdown; 1 when the ActorSystem stopped by itself (e.g. this node was downed).</summary>
    public static async Task<int> RunAsync(LbConfig config, Akka.Configuration.Config hocon, Task<PosixSignal> signal, NodeConsole console)
    {
        var system = ActorSystem.Create(SystemName, hocon);
        try
        {
            var cluster = Cluster.Get(system);
            if (ClusterHocon.IsStandalone(hocon))
                cluster.Join(cluster.SelfAddress);
            var started = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var root = system.ActorOf(LbRoot.Props(config, started), LbRoot.Name);
            RegisterSoftStop(system, root, config);
            system.ActorOf(IdleMemoryTrim.Props(), "memory-trim");
            var ready = await Task.WhenAny(started.Task, signal, Task.Delay(StartupTimeout));
            if (ready == signal)
            {
                await CoordinatedShutdown.Get(system).Run(new SignalReason(await signal));
                await system.WhenTerminated;
                return 0;
            }
            if (ready != started.Task || started.Task.IsFaulted)
            {
                var why = started.Task.IsFaulted ? started.Task.Exception!.GetBaseException().Message
                    : $"frontends not bound after {StartupTimeout.TotalSeconds:0}s";
                console.Alert($"Starting proxies: {why}");
                await system.Terminate();
                return 1;
            }

            var first = await Task.WhenAny(signal, system.WhenTerminated);
            if (first != signal)
            {
                console.Alert("the actor system stopped by itself (this node was downed or left the cluster); exiting");
                return 1;
            }
            await CoordinatedShutdown.Get(system).Run(new SignalReason(await signal));
            await system.WhenTerminated;
            return 0;
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }
}
