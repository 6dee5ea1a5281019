using Akka.Actor;

namespace Lb.Node;

/// <summary>
/// Decides when an idle node gives its spare heap back to the system. Bursts of new connections
/// promote short-lived session objects into gen1/gen2 and the heap stays at its high-water mark
/// (300 MB after the bench's Connection: close case) until the next collection, which an idle
/// node never triggers. Idle = not one gen0 collection during a whole period; then one aggressive
/// collection (all generations compacted, large objects included, memory decommitted), and not
/// again until the node has been busy.
/// </summary>
public sealed class IdleTrimPolicy
{
    public const long DefaultMinCommittedBytes = 64L << 20;

    private readonly long _minCommitted;
    private int _lastGen0 = -1;
    private bool _trimmed;

    public IdleTrimPolicy(long minCommittedBytes = DefaultMinCommittedBytes) => _minCommitted = minCommittedBytes;

    /// <summary>One period later: true when the caller should collect now.</summary>
    public bool Tick(int gen0Collections, long committedBytes)
    {
        if (gen0Collections != _lastGen0)
        {
            _lastGen0 = gen0Collections;
            _trimmed = false;
            return false;
        }
        return !_trimmed && committedBytes > _minCommitted;
    }

    /// <summary>The caller collected; <paramref name="gen0Collections"/> counts that collection too.</summary>
    public void Trimmed(int gen0Collections)
    {
        _lastGen0 = gen0Collections;
        _trimmed = true;
    }
}

/// <summary>Runs <see cref="IdleTrimPolicy"/> every few seconds.</summary>
public sealed class IdleMemoryTrim : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private sealed record Tick;

    private readonly IdleTrimPolicy _policy = new();

    public ITimerScheduler Timers { get; set; } = null!;

    public IdleMemoryTrim() => Receive<Tick>(_ => OnTick());

    public static Props Props() => Akka.Actor.Props.Create<IdleMemoryTrim>();

    protected override void PreStart() => Timers.StartPeriodicTimer("tick", new Tick(), Period);

    private void OnTick()
    {
        if (!_policy.Tick(GC.CollectionCount(0), GC.GetGCMemoryInfo().TotalCommittedBytes)) return;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _policy.Trimmed(GC.CollectionCount(0));
    }
}
