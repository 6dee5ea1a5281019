namespace Lb.Actors.Logging;

/// <summary>
/// Where one proxy's messages go: its own 'log' targets, plus the global ones with 'log global',
/// and the tag its lines carry ('log-tag' of the proxy, else of global, else "haproxy", the
/// program name syslog filters and log parsers written for haproxy expect).
/// </summary>
internal sealed class LogTargets(LogSink[] sinks, string tag)
{
    public LogSink[] Sinks { get; } = sinks;
    public string Tag { get; } = tag;

    /// <summary>The longest line any of the targets takes ('len', 1024 by default).</summary>
    public int MaxLength { get; } = sinks.Length == 0 ? LogSink.DefaultLength : sinks.Max(s => s.MaxLength);
}

/// <summary>One queued message: a rented buffer holding the line without header, for some targets.</summary>
internal readonly record struct LogMessage(LogTargets Targets, int Level, byte[] Buffer, int Length, DateTime Utc);
