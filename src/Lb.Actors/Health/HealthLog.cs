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
    public readonly record struct Tally(int Active, int Backup, long Sessions, long Queued);

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
            ? $"{tally.Active} active and {tally.Backup} backup servers left.{onBackup} {tally.Sessions} sessions active, 0 requeued, {tally.Queued} remaining in queue."
            : $"{tally.Active} active and {tally.Backup} backup servers online.{onBackup} 0 sessions requeued, {tally.Queued} total in queue.";
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
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} is going DOWN for maintenance. {tally.Active} active and {tally.Backup} backup servers left.{(tally.Backup > 0 && tally.Active == 0 ? " Running on backup." : "")} {tally.Sessions} sessions active, 0 requeued, {tally.Queued} remaining in queue.";

    public static string LeavingMaint(string backend, string server, bool isBackup) =>
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} is UP/READY (leaving forced maintenance).";

    public static string EnteringDrain(string backend, string server, bool isBackup, Tally tally) =>
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} enters drain state. {tally.Active} active and {tally.Backup} backup servers online. 0 sessions requeued, {tally.Queued} total in queue.";

    public static string LeavingDrain(string backend, string server, bool isBackup) =>
        $"{(isBackup ? "Backup Server" : "Server")} {backend}/{server} is UP (leaving forced drain).";

    public static string NoServer(string backend) => $"backend '{backend}' has no server available!";
}
