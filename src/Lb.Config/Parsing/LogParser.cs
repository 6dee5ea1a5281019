using Lb.Config.Diagnostics;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>'log ADDR [len N] [format F] [sample R:S] FACILITY [LEVEL [MINLEVEL]]'.</summary>
internal static class LogParser
{
    public static readonly string[] Facilities =
    {
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp",
        "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    };

    public static readonly string[] Levels = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };

    private static readonly string[] Formats = { "local", "rfc3164", "rfc5424", "priority", "short", "timed", "iso", "raw" };

    public static LogTarget? TryParse(ConfigLine l, DiagnosticBag d)
    {
        var at = l.Location;
        var address = l[1];
        if (address.Length == 0)
        {
            d.Alert(at, "log", "'log' expects either <address[:port]> and <facility> or 'global' as arguments.");
            return null;
        }
        if (address is not ("stdout" or "stderr") && !address.StartsWith("ring@"))
        {
            var err = AddressParser.TryParseOptionalPort(address, out _);
            if (err != null) { d.Alert(at, "log", $"'log' : {err}"); return null; }
        }
        int i = 2;
        int? len = null;
        string? format = null, sample = null;
        while (true)
        {
            if (l[i] == "len")
            {
                if (!IntParser.TryParseInRange(l[i + 1], 80, 65535, out var n))
                {
                    d.Alert(at, "log", $"'len' expects an integer between 80 and 65535, got '{l[i + 1]}'.");
                    return null;
                }
                len = n;
                i += 2;
            }
            else if (l[i] == "format")
            {
                if (Array.IndexOf(Formats, l[i + 1]) < 0)
                {
                    d.Alert(at, "log", $"unknown log format '{l[i + 1]}'");
                    return null;
                }
                format = l[i + 1];
                i += 2;
            }
            else if (l[i] == "sample")
            {
                if (!IsSample(l[i + 1]))
                {
                    d.Alert(at, "log", $"'sample' expects '<ranges>:<sample_size>' (e.g. '1-2,5:10'), got '{l[i + 1]}'.");
                    return null;
                }
                sample = l[i + 1];
                i += 2;
            }
            else break;
        }
        var facility = l[i];
        if (Array.IndexOf(Facilities, facility) < 0)
        {
            d.Alert(at, "log", facility.Length == 0 ? "'log' expects a <facility>" : $"unknown log facility '{facility}'");
            return null;
        }
        string? level = null, minLevel = null;
        if (l[i + 1].Length > 0)
        {
            level = l[i + 1];
            if (Array.IndexOf(Levels, level) < 0) { d.Alert(at, "log", $"unknown optional log level '{level}'"); return null; }
        }
        if (l[i + 2].Length > 0)
        {
            minLevel = l[i + 2];
            if (Array.IndexOf(Levels, minLevel) < 0) { d.Alert(at, "log", $"unknown optional minimum log level '{minLevel}'"); return null; }
        }
        if (l[i + 3].Length > 0) d.Alert(at, "log", $"'log' : unexpected argument '{l[i + 3]}'");
        return new LogTarget(address, format, len, facility, level, minLevel, at, sample);
    }

    // "1", "1-3,5:10": ranges of 1-based positions, then the sample size, each range within it.
    private static bool IsSample(string s)
    {
        int colon = s.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(s.AsSpan(colon + 1), out int size) || size <= 0) return false;
        foreach (var range in s[..colon].Split(','))
        {
            var b = range.Split('-');
            if (b.Length > 2 || !int.TryParse(b[0], out int low) || low < 1 || !int.TryParse(b[^1], out int high) || high < low || high > size)
                return false;
        }
        return true;
    }
}
