using System.Text;
using System.Text.RegularExpressions;
using Lb.Config.Model;

namespace Lb.Actors.Health;

/// <summary>
/// Judges a layer-7 check response: without 'http-check expect', 2xx and 3xx pass; each expect
/// rule (status / rstatus / string / rstring, optionally negated with '!') must hold, in order.
/// With 'disable-on-404', a 404 from a server that is up is a conditional pass (NOLB); from a
/// DOWN server it is judged like any other status, as haproxy does.
/// </summary>
public static class HttpCheckResponse
{
    /// <summary>The status line "HTTP/1.x CODE REASON" of <paramref name="response"/>, or null when it is not one yet.</summary>
    public static (int Code, string Reason)? ParseStatusLine(ReadOnlySpan<byte> response)
    {
        int eol = response.IndexOf((byte)'\n');
        if (eol < 0) return null;
        var line = Encoding.ASCII.GetString(response[..eol]).TrimEnd('\r');
        if (!line.StartsWith("HTTP/", StringComparison.Ordinal)) return (-1, "");
        var parts = line.Split(' ', 3);
        if (parts.Length < 2 || parts[1].Length != 3 || !int.TryParse(parts[1], out var code)) return (-1, "");
        return (code, parts.Length > 2 ? parts[2] : "");
    }

    /// <summary>Whether a verdict needs the body (string / rstring rules) and not only the head.</summary>
    public static bool NeedsBody(HttpCheckSettings s)
    {
        foreach (var e in s.Expects) if (e.Matcher is "string" or "rstring") return true;
        return false;
    }

    /// <param name="body">the body read so far (empty when no rule needs it)</param>
    public static (CheckStatus Status, string? Info) Judge(HttpCheckSettings s, int code, string reason, string body, bool serverUp)
    {
        if (code < 0) return (CheckStatus.L7Rsp, "Invalid HTTP response");
        if (s.DisableOn404 && code == 404 && serverUp) return (CheckStatus.L7OkC, NullIfEmpty(reason));
        if (s.Expects.IsEmpty)
            return code is >= 200 and < 400 ? (CheckStatus.L7Ok, null) : (CheckStatus.L7Sts, NullIfEmpty(reason));
        foreach (var e in s.Expects)
        {
            bool ok = Matches(e, code, body) != e.Negated;
            if (ok) continue;
            return e.Matcher is "status" or "rstatus"
                ? (CheckStatus.L7Sts, NullIfEmpty(reason))
                : (CheckStatus.L7Rsp, "HTTP content check did not match");
        }
        return (CheckStatus.L7Ok, null);
    }

    private static bool Matches(HttpCheckExpect e, int code, string body) => e.Matcher switch
    {
        "status" => StatusInList(e.Pattern, code),
        "rstatus" => Regex.IsMatch(code.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Pattern),
        "string" => body.Contains(e.Pattern, StringComparison.Ordinal),
        "rstring" => Regex.IsMatch(body, e.Pattern),
        // hdr/fhdr/custom rules are not evaluated yet: they do not fail a check.
        _ => !e.Negated,
    };

    /// <summary>"200", "200-399", "200,301-302": haproxy 2.2+ accepts a list of codes and ranges.</summary>
    public static bool StatusInList(string pattern, int code)
    {
        foreach (var part in pattern.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            if (dash > 0 && int.TryParse(part[..dash], out var lo) && int.TryParse(part[(dash + 1)..], out var hi))
            {
                if (code >= lo && code <= hi) return true;
            }
            else if (int.TryParse(part, out var one) && one == code) return true;
        }
        return false;
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
