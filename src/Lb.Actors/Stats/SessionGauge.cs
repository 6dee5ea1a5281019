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
        Interlocked.Increment(ref _total);
        Entered();
    }

    /// <summary>Counts one more current session without adding to the total.</summary>
    public void Entered()
    {
        var cur = Interlocked.Increment(ref _current);
        long max;
        while (cur > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, cur, max) != max) { }
    }

    public void Closed() => Interlocked.Decrement(ref _current);

    /// <summary>'clear counters': the peak restarts from the current value.</summary>
    public void ClearMax() => Volatile.Write(ref _max, Current);

    /// <summary>'clear counters all'.</summary>
    public void ClearTotal() => Volatile.Write(ref _total, 0);
}
