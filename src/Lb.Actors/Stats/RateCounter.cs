using System.Diagnostics;

namespace Lb.Actors.Stats;

/// <summary>
/// Events per second as haproxy's frequency counters count them: the current second's count
/// plus the previous second's, weighted by the part of it still inside the last 1000 ms
/// ('rate', 'req_rate', 'conn_rate'), and the highest count seen within one second
/// ('rate_max'). Lock-free: one interlocked add per event, a compare-and-swap once per second.
/// </summary>
public sealed class RateCounter
{
    private long _period;   // the current second (Stopwatch-based)
    private long _current;  // events in that second
    private long _previous; // events in the second before it
    private long _max;

    public void Add()
    {
        long now = NowMs();
        long second = now / 1000;
        long period = Volatile.Read(ref _period);
        if (period != second) Rotate(period, second);
        long c = Interlocked.Increment(ref _current);
        long max;
        while (c > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, c, max) != max) { }
    }

    private void Rotate(long period, long second)
    {
        if (Interlocked.CompareExchange(ref _period, second, period) != period) return; // another thread rotated
        long finished = Interlocked.Exchange(ref _current, 0);
        Volatile.Write(ref _previous, second == period + 1 ? finished : 0);
    }

    /// <summary>The rate over the last elapsed second.</summary>
    public long Rate
    {
        get
        {
            long now = NowMs();
            long second = now / 1000, period = Volatile.Read(ref _period);
            long cur = Volatile.Read(ref _current), prev = Volatile.Read(ref _previous);
            long left = 1000 - now % 1000; // the part of the previous second still in the window
            if (second == period) return cur + prev * left / 1000;
            if (second == period + 1) return cur * left / 1000;
            return 0;
        }
    }

    public long Max => Volatile.Read(ref _max);

    public void ResetMax() => Volatile.Write(ref _max, 0);

    private static long NowMs() => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1000);
}
