namespace Lb.Actors.Health;

/// <summary>
/// One line from a server's agent, parsed as haproxy 2.6 reads it: words separated by blanks or
/// commas, in any order and combination, up to an optional '#' comment —
/// a health word (up, down, fail, stopped), an admin word (ready, drain, maint), a weight
/// ("75%"), "maxconn:N"; any other word is an error (the first one is reported).
/// </summary>
public sealed record AgentReply(string? Health, string? Admin, string? Weight, string? MaxConn, string? Error, string Comment)
{
    public static AgentReply Parse(string line)
    {
        string? health = null, admin = null, weight = null, maxConn = null, error = null;
        string comment = "";
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c is ' ' or '\t' or ',') { i++; continue; }
            if (c == '#')
            {
                i++;
                while (i < line.Length && line[i] is ' ' or '\t') i++;
                comment = line[i..];
                break;
            }
            int start = i;
            while (i < line.Length && line[i] is not (' ' or '\t' or ',')) i++;
            var word = line[start..i];
            if (Is(word, "up") || Is(word, "down") || Is(word, "stopped") || Is(word, "fail")) health = word;
            else if (Is(word, "ready") || Is(word, "drain") || Is(word, "maint")) admin = word;
            else if (char.IsAsciiDigit(word[0]) && word.Contains('%')) weight = word;
            else if (word.StartsWith("maxconn:", StringComparison.OrdinalIgnoreCase)) maxConn = word["maxconn:".Length..];
            else error ??= word;
        }
        return new AgentReply(health, admin, weight, maxConn, error, comment);
    }

    private static bool Is(string word, string what) => word.Equals(what, StringComparison.OrdinalIgnoreCase);

    public bool IsUp => Health is { } h && Is(h, "up");

    /// <summary>
    /// haproxy's agent status and text (last_agt) once the weight and maxconn were applied
    /// (<paramref name="warning"/>: what they complained about): a health word gives L7OK/L7STS
    /// "via agent : down (comment)"; otherwise CHECKED with the error, the warning or nothing.
    /// </summary>
    public (AgentStatus Status, string Description) Describe(string? warning)
    {
        if (Health is { } hs)
        {
            var msg = Comment;
            if (msg.Length == 0 || IsUp) msg = !string.IsNullOrEmpty(Error) ? Error : !string.IsNullOrEmpty(warning) ? warning : msg;
            var text = "via agent : " + hs + (msg.Length > 0 ? " (" + msg + ")" : "");
            return (IsUp ? AgentStatus.L7Ok : AgentStatus.L7Sts, text);
        }
        if (!string.IsNullOrEmpty(Error)) return (AgentStatus.Checked, "agent reports an error : " + Error);
        if (!string.IsNullOrEmpty(warning)) return (AgentStatus.Checked, "agent warns : " + warning);
        return (AgentStatus.Checked, "");
    }
}

/// <summary>The agent's result codes as haproxy shows them (agent_status, agent_desc).</summary>
public enum AgentStatus { Ini, Checked, L4Ok, L4Tout, L4Con, SockErr, L7Rsp, L7Tout, L7Ok, L7Sts }

public static class AgentStatusText
{
    public static string Code(AgentStatus s) => s switch
    {
        AgentStatus.Ini => "INI",
        AgentStatus.Checked => "CHECKED",
        AgentStatus.L4Ok => "L4OK",
        AgentStatus.L4Tout => "L4TOUT",
        AgentStatus.L4Con => "L4CON",
        AgentStatus.SockErr => "SOCKERR",
        AgentStatus.L7Rsp => "L7RSP",
        AgentStatus.L7Tout => "L7TOUT",
        AgentStatus.L7Ok => "L7OK",
        _ => "L7STS",
    };

    public static string Description(AgentStatus s) => s switch
    {
        AgentStatus.Ini => "Initializing",
        AgentStatus.Checked => "No status change",
        AgentStatus.L4Ok => "Layer4 check passed",
        AgentStatus.L4Tout => "Layer4 timeout",
        AgentStatus.L4Con => "Layer4 connection problem",
        AgentStatus.SockErr => "Socket error",
        AgentStatus.L7Rsp => "Layer7 invalid response",
        AgentStatus.L7Tout => "Layer7 timeout",
        AgentStatus.L7Ok => "Layer7 check passed",
        _ => "Layer7 wrong status",
    };

    /// <summary>Only the statuses that follow exchanged data carry a code (0 for the agent).</summary>
    public static bool HasCode(AgentStatus s) => s is AgentStatus.L7Ok or AgentStatus.L7Sts;
}

/// <summary>A server's agent as the stats show it (agent_status, agent_code, agent_duration, last_agt, agent_health).</summary>
public sealed record AgentHealth(bool Enabled, int Health, AgentStatus Status, long? DurationMs, string LastText)
{
    public static readonly AgentHealth Initial = new(true, 1, AgentStatus.Ini, null, "");

    public bool IsDown => Enabled && Health == 0;
}
