namespace Lb.Actors.Health;

/// <summary>
/// One server's health as the stats page shows it, frozen: the server's checker publishes a new
/// one after each check (single writer), anyone reads the current one from the ServerRuntime.
/// Times are Environment.TickCount64 milliseconds.
/// </summary>
public sealed record ServerHealth
{
    /// <summary>"UP", "UP 1/3", "DOWN", "DOWN 1/2", "NOLB", "MAINT", "DRAIN" or "no check".</summary>
    public string Status { get; init; } = "no check";
    public bool Checked { get; init; }

    /// <summary>The check's health counter, 0..rise+fall-1 (check_health).</summary>
    public int HealthValue { get; init; }

    /// <summary>check_status, check_code, check_duration (ms) and check_desc of the last check.</summary>
    public CheckStatus? LastCheck { get; init; }
    public int? LastCode { get; init; }
    public long? LastDurationMs { get; init; }

    /// <summary>last_chk: the last check's text (reason phrase, errno text); empty when it had none.</summary>
    public string? LastInfo { get; init; }

    /// <summary>chkfail: failed checks counted while the server was not yet fully down.</summary>
    public long FailedChecks { get; init; }

    /// <summary>chkdown: UP to DOWN transitions.</summary>
    public long Downs { get; init; }

    /// <summary>Passive-check verdicts (haproxy's hanafail).</summary>
    public long FailedObservations { get; init; }

    public long LastChangeMs { get; init; } = Environment.TickCount64;
    public long DowntimeMs { get; init; }

    /// <summary>Since when the server is DOWN, or null while it is not.</summary>
    public long? DownSinceMs { get; init; }

    /// <summary>lastchg: seconds since the last state change.</summary>
    public long LastChangeSeconds(long nowMs) => (nowMs - LastChangeMs) / 1000;

    /// <summary>downtime: total seconds spent DOWN, the current spell included.</summary>
    public long DowntimeSeconds(long nowMs) => (DowntimeMs + (DownSinceMs is { } since ? nowMs - since : 0)) / 1000;

    public string? CheckCode => LastCheck is { } s ? CheckStatusText.Code(s) : null;
    public string? CheckDescription => LastCheck is { } s ? CheckStatusText.Description(s) : null;

    public static ServerHealth Initial(Lb.Config.Model.Server config, HealthMachine machine) => new()
    {
        Status = machine.Describe(),
        Checked = config.Check,
        HealthValue = machine.Health,
        LastCheck = config.Check && !config.Disabled ? CheckStatus.Ini : null,
        DownSinceMs = null,
    };
}
