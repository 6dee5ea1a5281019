namespace Lb.Actors.Logging;

/// <summary>Syslog facilities and severities by their haproxy.cfg names (RFC 5424 numbering).</summary>
public static class Syslog
{
    public const int Emerg = 0, Alert = 1, Crit = 2, Err = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7;

    public static readonly string[] Facilities =
    {
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp",
        "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    };

    public static readonly string[] Levels = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };

    /// <summary>The facility number, or -1.</summary>
    public static int Facility(string name) => Array.IndexOf(Facilities, name);

    /// <summary>The severity number of <paramref name="name"/>; <paramref name="absent"/> when null or empty, -1 when unknown.</summary>
    public static int Level(string? name, int absent) => string.IsNullOrEmpty(name) ? absent : Array.IndexOf(Levels, name);
}
