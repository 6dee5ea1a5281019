namespace Lb.Actors.Health;

/// <summary>
/// Server state changes worded and shaped as 'haproxy -db' prints them on stderr, e.g.
/// "[WARNING]  (PID) : Server be/s1 is DOWN, reason: Layer4 connection problem, info:
/// "Connection refused", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions
/// active, 0 requeued, 0 remaining in queue." and "[ALERT]    (PID) : backend 'be' has no
/// server available!". The sink is injectable so tests can read the lines.
/// </summary>
public sealed class HealthLog(Action<string> writeLine, int pid)
{
    public static HealthLog StdErr { get; } = new(line => Console.Error.WriteLine(line), Environment.ProcessId);

    public void Warning(string message) => writeLine($"[WARNING]  ({pid}) : {message}");
    public void Alert(string message) => writeLine($"[ALERT]    ({pid}) : {message}");

    /// <summary>The counts and queue figures a state-change message ends with.</summary>
    /// <param name="Requeued">requests moved: redispatched from a server going DOWN, or taken from the backend's queue by one coming UP</param>
    public readonly record struct Tally(int Active, int Backup, long Sessions, long Queued, int Requeued = 0);

    public static string Describe(HealthTransition t, string backend, string server, bool isBackup, CheckResult why, Tally tally)
    {
        var who = $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server}";
        var verb = t switch
        {
            HealthTransition.WentDown => "DOWN",
            HealthTransition.WentNolb => "stopping",
            _ => "UP",
        };
        var onBackup = tally.Backup > 0 && tally.Active == 0 ? " Running on backup." : "";
        var tail = t == HealthTransition.WentDown
            ? $"{tally.Active} active and {tally.Backup} backup servers left.{onBackup} {tally.Sessions} sessions active, {tally.Requeued} requeued, {tally.Queued} remaining in queue."
            : $"{tally.Active} active and {tally.Backup} backup servers online.{onBackup} {tally.Requeued} sessions requeued, {tally.Queued} total in queue.";
        return $"{who} is {verb}, {why.Reason()}. {tail}";
    }

    public static string NoServer(string backend) => $"backend '{backend}' has no server available!";
}
