namespace Lb.Actors.Health;

/// <summary>
/// When each checker fires its first check: spread evenly over the shortest 'inter' of the node
/// by the checker's position among all checked servers (haproxy does the same), so 1,000 servers
/// do not all connect at once; 'spread-checks' (global, percent) adds random jitter to every
/// later interval.
/// </summary>
public sealed record CheckSpread(int Total, TimeSpan MinInter, int JitterPercent = 0)
{
    public static CheckSpread For(Lb.Config.Model.LbConfig config)
    {
        var inters = config.Backends.SelectMany(b => b.Servers).Where(s => s.Check).Select(s => s.Inter).ToList();
        return new CheckSpread(inters.Count, inters.Count == 0 ? TimeSpan.Zero : inters.Min(), Math.Clamp(config.Global.SpreadChecks, 0, 50));
    }

    public TimeSpan FirstDelay(int position) =>
        Total <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(MinInter.Ticks * Math.Clamp(position, 0, Total) / Total);

    public TimeSpan Jitter(TimeSpan interval)
    {
        if (JitterPercent == 0) return interval;
        var factor = 1 + (Random.Shared.NextDouble() * 2 - 1) * JitterPercent / 100.0;
        return TimeSpan.FromTicks((long)(interval.Ticks * factor));
    }
}
