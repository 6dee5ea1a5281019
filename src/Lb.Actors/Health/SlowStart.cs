namespace Lb.Actors.Health;

/// <summary>
/// 'slowstart': a server back from DOWN ramps up over the slowstart time, with HAProxy's
/// arithmetic (server_recalc_eweight, srv_dynamic_maxconn), in whole seconds because HAProxy
/// keeps slowstart and the time since the change in seconds:
/// - weight: for the dynamic algorithms only, the effective weight (user weight x 16) becomes
///   user weight x factor, factor = (16 x elapsed + slowstart) / slowstart, from 1 to 16;
/// - maxconn: max(1, maxconn x ratio / 100), ratio = 100 x elapsed / slowstart, for every algorithm.
/// The ramp is recomputed once per second after the server came up, as HAProxy's warmup task does.
/// </summary>
public static class SlowStart
{
    /// <summary>HAProxy's BE_WEIGHT_SCALE: the factor of a server at full speed.</summary>
    public const int FullFactor = 16;

    /// <summary>How often the ramp is recomputed.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    /// <summary>The slowstart time in whole seconds, rounded up (HAProxy: (ms + 999) / 1000).</summary>
    public static int Seconds(TimeSpan slowStart) => (int)Math.Min(int.MaxValue, ((long)slowStart.TotalMilliseconds + 999) / 1000);

    /// <summary>True while a server that came up <paramref name="elapsedSeconds"/> ago is still ramping.</summary>
    public static bool Ramping(long elapsedSeconds, int slowStartSeconds) => elapsedSeconds >= 0 && elapsedSeconds < slowStartSeconds;

    /// <summary>The weight factor, 1 (just up) to 16 (full speed).</summary>
    public static int WeightFactor(long elapsedSeconds, int slowStartSeconds) =>
        !Ramping(elapsedSeconds, slowStartSeconds) ? FullFactor : (int)((FullFactor * elapsedSeconds + slowStartSeconds) / slowStartSeconds);

    /// <summary>The connection limit while ramping: at least 1, at most <paramref name="maxConn"/> (0 = none).</summary>
    public static int MaxConn(int maxConn, long elapsedSeconds, int slowStartSeconds)
    {
        if (maxConn <= 0 || !Ramping(elapsedSeconds, slowStartSeconds)) return maxConn;
        long ratio = 100 * elapsedSeconds / slowStartSeconds;
        return (int)Math.Max(1, maxConn * ratio / 100);
    }

    /// <summary>The weight the stats show for an effective weight (x16): rounded up, as HAProxy prints it.</summary>
    public static int DisplayedWeight(int userWeight, int factor) => (userWeight * factor + FullFactor - 1) / FullFactor;
}
