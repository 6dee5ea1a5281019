namespace Lb.Actors.Stats;

/// <summary>
/// haproxy's average of a time over the last N samples (qtime, ctime, rtime, ttime): until
/// <see cref="Window"/> samples the plain average of them all; from then on a running sum from
/// which each new sample removes one Nth ("sliding window rate"). Checked on haproxy 2.6: 100 ms
/// responses read 108, 105, 104 ms from the first requests on, not a ramp from 0. Also keeps the
/// largest sample (qtime_max ...). Lock-free: compare-and-swap loops.
/// </summary>
public sealed class SlidingAverage
{
    /// <summary>haproxy's TIME_STATS_SAMPLES (its documentation speaks of 1024; the code uses 512).</summary>
    public const long Window = 512;

    private long _sum;
    private long _samples;
    private long _max;

    public void Add(long value)
    {
        if (value < 0) value = 0;
        long count = Interlocked.Increment(ref _samples);
        long sum, next;
        do
        {
            sum = Volatile.Read(ref _sum);
            next = count <= Window ? sum + value : sum - (sum + Window - 1) / Window + value;
        }
        while (Interlocked.CompareExchange(ref _sum, next, sum) != sum);
        long max;
        while (value > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, max) != max) { }
    }

    public long Average
    {
        get
        {
            long n = Math.Min(Volatile.Read(ref _samples), Window);
            return n == 0 ? 0 : (Volatile.Read(ref _sum) + n - 1) / n;
        }
    }

    public long Max => Volatile.Read(ref _max);

    public void ResetMax() => Volatile.Write(ref _max, 0);

    public void Reset()
    {
        Volatile.Write(ref _sum, 0);
        Volatile.Write(ref _samples, 0);
        Volatile.Write(ref _max, 0);
    }
}
