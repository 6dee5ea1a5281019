namespace Lb.Actors.Persistence;

/// <summary>
/// HAProxy's sliding event rate over a period (freq_ctr): events of the current period plus the
/// previous period's events weighted by how much of the previous period still falls inside the
/// sliding window. Three slots: start of the current period, its count, the previous count.
/// Callers serialize access.
/// </summary>
internal static class FreqCounter
{
    public static void Add(long[] d, int slot, long periodMs, long delta, long nowMs)
    {
        Rotate(d, slot, periodMs, nowMs);
        d[slot + 1] += delta;
    }

    /// <summary>Restarts the rate at <paramref name="value"/> events in a period beginning now ('set table').</summary>
    public static void Set(long[] d, int slot, long value, long nowMs)
    {
        d[slot] = nowMs;
        d[slot + 1] = value;
        d[slot + 2] = 0;
    }

    public static long Read(long[] d, int slot, long periodMs, long nowMs)
    {
        Rotate(d, slot, periodMs, nowMs);
        long elapsed = nowMs - d[slot];
        long remain = periodMs - elapsed;
        return d[slot + 1] + (remain <= 0 ? 0 : d[slot + 2] * remain / periodMs);
    }

    private static void Rotate(long[] d, int slot, long periodMs, long nowMs)
    {
        if (d[slot] == 0 && d[slot + 1] == 0 && d[slot + 2] == 0) { d[slot] = nowMs; return; }
        long elapsed = nowMs - d[slot];
        if (elapsed < periodMs) return;
        if (elapsed < 2 * periodMs)
        {
            d[slot + 2] = d[slot + 1];
            d[slot] += periodMs;
        }
        else
        {
            // Two periods or more went by without an event: nothing is left to weigh.
            d[slot + 2] = 0;
            d[slot] = nowMs;
        }
        d[slot + 1] = 0;
    }
}
