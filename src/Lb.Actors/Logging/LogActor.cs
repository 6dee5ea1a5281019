using Akka.Actor;
using Akka.Event;

namespace Lb.Actors.Logging;

/// <summary>
/// /user/lb/log: owns the node's <see cref="LogService"/> (its queue, sender thread and target
/// sockets) for the lifetime of the root, and answers <see cref="GetCounters"/> with the
/// sent/dropped counters.
/// </summary>
public sealed class LogActor : ReceiveActor
{
    public const string Name = "log";

    public sealed record GetCounters
    {
        public static readonly GetCounters Instance = new();
    }

    private readonly LogService _service;

    public LogActor(LogService service)
    {
        _service = service;
        Receive<GetCounters>(_ => Sender.Tell(_service.Counters));
    }

    public static Props Props(LogService service) => Akka.Actor.Props.Create(() => new LogActor(service));

    protected override void PreStart()
    {
        var log = Context.GetLogger();
        foreach (var problem in _service.TakeProblems()) log.Warning(problem);
    }

    protected override void PostStop()
    {
        _service.Dispose();
        var c = _service.Counters;
        if (c.Sent + c.Dropped > 0)
            Context.GetLogger().Info("log lines: {0} sent, {1} dropped (queue full: {2}, not taken by a target: {3})",
                c.Sent, c.Dropped, c.QueueDrops, c.SendErrors);
    }
}
