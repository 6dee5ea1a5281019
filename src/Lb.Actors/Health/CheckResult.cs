namespace Lb.Actors.Health;

/// <summary>The outcome of one probe (active check) or of a passive-check verdict.</summary>
/// <param name="Code">HTTP status of a layer-7 check, when one was read</param>
/// <param name="Info">free text shown as 'info: "..."' (errno text, reason phrase)</param>
public sealed record CheckResult(CheckStatus Status, int? Code, string? Info, TimeSpan Duration)
{
    public CheckVerdict Verdict => CheckStatusText.Verdict(Status);

    /// <summary>"reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: 4ms".</summary>
    public string Reason()
    {
        var text = "reason: " + CheckStatusText.Description(Status);
        if (Code is { } c && CheckStatusText.HasCode(Status)) text += $", code: {c}";
        if (!string.IsNullOrEmpty(Info)) text += $", info: \"{Info}\"";
        return text + $", check duration: {(long)Duration.TotalMilliseconds}ms";
    }
}
