namespace Lb.Actors.Health;

/// <summary>
/// Server state changes worded and shaped as 'haproxy -db' prints them on stderr, e.g.
/// "[WARNING]  (PID) : Server be/s1 is DOWN, reason: Layer4 connection problem, info:
/// "Connection refused", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions
/// active, 0 requeued, 0 remaining in queue." and "[ALERT]    (PID) : backend 'be' has no
/// server available!". The sink is injectable so tests can read the lines. With
/// <paramref name="syslog"/>, the same messages also go to the backend's log targets at the
/// syslog level haproxy gives them.
/// </summary>
public sealed class HealthLog(Action<string> writeLine, int pid, Action<int, string>? syslog = null)
{
    public static HealthLog StdErr { get; } = new(WriteStdErr, Environment.ProcessId);

    public static void WriteStdErr(string line) => Console.Error.WriteLine(line);

    public void Warning(string message) => writeLine($"[WARNING]  ({pid}) : {message}");
    public void Alert(string message) => writeLine($"[ALERT]    ({pid}) : {message}");

    /// <summary>To the log targets: level 0 (emerg) .. 7 (debug); nothing without targets.</summary>
    public void Syslog(int level, string message) => syslog?.Invoke(level, message);

    /// <summary>haproxy's syslog level for a state change: alert when an UP server goes DOWN,
    /// notice otherwise (coming UP, going to or from NOLB, DOWN from NOLB).</summary>
    public static int LevelOf(HealthTransition t, bool wasStopping) =>
        t == HealthTransition.WentDown && !wasStopping ? 1 : 5;

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

    /// <summary>A state forced over the runtime API: "Server be/s1 is DOWN, changed from CLI. 1 active and ...".</summary>
    public static string DescribeForced(HealthTransition t, string backend, string server, bool isBackup, Tally tally)
    {
        var full = Describe(t, backend, server, isBackup, new CheckResult(CheckStatus.Ini, null, null, TimeSpan.Zero), tally);
        int reason = full.IndexOf(", reason: ", StringComparison.Ordinal);
        int tail = full.IndexOf("ms. ", reason, StringComparison.Ordinal);
        return full[..reason] + ", changed from CLI." + full[(tail + 3)..];
    }

    /// <summary>"Server be/s1 is going DOWN for maintenance. 1 active and 0 backup servers left. ..."</summary>
    public static string EnteringMaint(string backend, string server, bool isBackup, Tally tally) =>
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} is going DOWN for maintenance. {tally.Active} active and {tally.Backup} backup servers left.{(tally.Backup > 0 && tally.Active == 0 ? " Running on backup." : "")} {tally.Sessions} sessions active, {tally.Requeued} requeued, {tally.Queued} remaining in queue.";

    public static string LeavingMaint(string backend, string server, bool isBackup) =>
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} is UP/READY (leaving forced maintenance).";

    public static string EnteringDrain(string backend, string server, bool isBackup, Tally tally) =>
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} enters drain state. {tally.Active} active and {tally.Backup} backup servers online. 0 sessions requeued, {tally.Queued} total in queue.";

    public static string LeavingDrain(string backend, string server, bool isBackup) =>
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} is UP (leaving forced drain).";

    /// <summary>stderr: "backend 'be' has no server available!"; syslog (emerg) without the quotes.
    /// A listen section is a "proxy".</summary>
    public static string NoServer(string backend, bool listen = false, bool quoted = true) =>
        quoted ? $"{(listen ? "proxy" : "backend")} '{backend}' has no server available!"
            : $"{(listen ? "proxy" : "backend")} {backend} has no server available!";
}
