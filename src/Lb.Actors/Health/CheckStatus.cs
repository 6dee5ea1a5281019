namespace Lb.Actors.Health;

/// <summary>HAProxy's check_status codes (the stats CSV column) that Lb's checks can produce.</summary>
public enum CheckStatus
{
    Ini,
    L4Ok,
    L4Tout,
    L4Con,
    L7Ok,
    L7OkC,
    L7Sts,
    L7Rsp,
    L7Tout,
    SockErr,
    Hana,
}

/// <summary>Whether a check result counts as a pass, a failure, or a pass that asks for NOLB.</summary>
public enum CheckVerdict { Passed, Failed, ConditionalPass }

public static class CheckStatusText
{
    /// <summary>The short code shown in the stats 'check_status' column.</summary>
    public static string Code(CheckStatus s) => s switch
    {
        CheckStatus.Ini => "INI",
        CheckStatus.L4Ok => "L4OK",
        CheckStatus.L4Tout => "L4TOUT",
        CheckStatus.L4Con => "L4CON",
        CheckStatus.L7Ok => "L7OK",
        CheckStatus.L7OkC => "L7OKC",
        CheckStatus.L7Sts => "L7STS",
        CheckStatus.L7Rsp => "L7RSP",
        CheckStatus.L7Tout => "L7TOUT",
        CheckStatus.SockErr => "SOCKERR",
        CheckStatus.Hana => "HANA",
        _ => "UNK",
    };

    /// <summary>The long description used in state-change messages and 'check_desc'.</summary>
    public static string Description(CheckStatus s) => s switch
    {
        CheckStatus.Ini => "Initializing",
        CheckStatus.L4Ok => "Layer4 check passed",
        CheckStatus.L4Tout => "Layer4 timeout",
        CheckStatus.L4Con => "Layer4 connection problem",
        CheckStatus.L7Ok => "Layer7 check passed",
        CheckStatus.L7OkC => "Layer7 check conditionally passed",
        CheckStatus.L7Sts => "Layer7 wrong status",
        CheckStatus.L7Rsp => "Layer7 invalid response",
        CheckStatus.L7Tout => "Layer7 timeout",
        CheckStatus.SockErr => "Socket error",
        CheckStatus.Hana => "Health analyze",
        _ => "Unknown",
    };

    public static CheckVerdict Verdict(CheckStatus s) => s switch
    {
        CheckStatus.L4Ok or CheckStatus.L7Ok => CheckVerdict.Passed,
        CheckStatus.L7OkC => CheckVerdict.ConditionalPass,
        _ => CheckVerdict.Failed,
    };

    /// <summary>Layer-7 results carry the HTTP status code in messages ("code: 500").</summary>
    public static bool HasCode(CheckStatus s) => s is CheckStatus.L7Ok or CheckStatus.L7OkC or CheckStatus.L7Sts;
}
