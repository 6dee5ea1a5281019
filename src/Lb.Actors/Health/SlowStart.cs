namespace Lb.Actors.Health;

/// <summary>'slowstart': a server back from DOWN ramps its weight linearly from 1 to its weight.</summary>
public static class SlowStart
{
    /// <summary>How often the ramp is recomputed (haproxy does it about once per second).</summary>
    public static TimeSpan Step(TimeSpan slowStart) =>
        TimeSpan.FromMilliseconds(Math.Clamp(slowStart.TotalMilliseconds / 20, 100, 1000));

    public static int Weight(int weight, TimeSpan elapsed, TimeSpan slowStart)
    {
        if (weight <= 0) return 0;
        if (slowStart <= TimeSpan.Zero || elapsed >= slowStart) return weight;
        var w = (int)Math.Ceiling(weight * elapsed.TotalMilliseconds / slowStart.TotalMilliseconds);
        return Math.Clamp(w, 1, weight);
    }
}
