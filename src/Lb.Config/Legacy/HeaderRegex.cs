namespace Lb.Config.Legacy;

/// <summary>
/// Reads the 1.x header-line regexes ("^Host:\ www.abc.com", "^X-Forwarded-For:.*") well enough to
/// tell the header name from the value part, so they can become per-header rules.
/// </summary>
internal static class HeaderRegex
{
    /// <summary>"^Name:VALUE" → Name and VALUE (leading blanks or \s* of VALUE removed).</summary>
    public static bool TrySplit(string regex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? name, out string value)
    {
        name = null;
        value = "";
        if (!regex.StartsWith('^')) return false;
        int colon = regex.IndexOf(':');
        if (colon <= 1) return false;
        var candidate = regex[1..colon];
        if (!candidate.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')) return false;
        name = candidate;
        var rest = regex[(colon + 1)..];
        while (true)
        {
            if (rest.StartsWith(' ') || rest.StartsWith('\t')) rest = rest[1..];
            else if (rest.StartsWith("\\ ")) rest = rest[2..];
            else if (rest.StartsWith("\\s*") || rest.StartsWith("\\s+")) rest = rest[3..];
            else if (rest.StartsWith("[\\ \\t]*") ) rest = rest[7..];
            else break;
        }
        value = rest;
        return true;
    }

    public static bool MatchesAnything(string valueRegex) => valueRegex is "" or ".*" or ".*$" or "$";

    /// <summary>Capturing groups: '(' not escaped and not followed by '?'.</summary>
    public static int CountGroups(string regex)
    {
        int n = 0;
        for (int i = 0; i < regex.Length; i++)
        {
            if (regex[i] == '\\') { i++; continue; }
            if (regex[i] == '(' && (i + 1 >= regex.Length || regex[i + 1] != '?')) n++;
        }
        return n;
    }
}
