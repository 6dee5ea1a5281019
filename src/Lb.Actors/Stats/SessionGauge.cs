namespace Lb.Actors.Stats;

/// <summary>
/// Lock-free current/peak/total counter of sessions or connections (HAProxy's scur, smax, stot),
/// shared by the hot path and the stats readers.
/// </summary>
public sealed class SessionGauge
{
    private long _current;
    private long _max;
    private long _total;

    public long Current => Volatile.Read(ref _current);
    public long Max => Volatile.Read(ref _max);
    public long Total => Volatile.Read(ref _total);

    public void Opened()
    {
        var cur = Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _total);
        long max;
        while (cur > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, cur, max) != max) { }
    }

    public void Closed() => Interlocked.Decrement(ref _current);
}
