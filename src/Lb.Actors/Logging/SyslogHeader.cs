namespace Lb.Actors.Logging;

/// <summary>Writes the header of one line for one target (see <see cref="LogHeaderFormat"/>).</summary>
internal static class SyslogHeader
{
    /// <param name="host">'log-send-hostname': null leaves it out (rfc3164) or writes "-" (rfc5424)</param>
    public static void Write(ref AsciiWriter w, LogHeaderFormat format, int facility, int level, DateTime utc,
        string? host, string tag, int pid)
    {
        switch (format)
        {
            case LogHeaderFormat.Rfc3164 or LogHeaderFormat.Local:
                Priority(ref w, facility * 8 + level);
                LogDates.Legacy(ref w, utc);
                w.Byte((byte)' ');
                if (host != null && format == LogHeaderFormat.Rfc3164) { w.Text(host); w.Byte((byte)' '); }
                w.Text(tag); w.Byte((byte)'['); w.Int(pid); w.Text("]: ");
                break;
            case LogHeaderFormat.Rfc5424:
                Priority(ref w, facility * 8 + level);
                w.Text("1 ");
                LogDates.Iso(ref w, utc);
                w.Byte((byte)' ');
                w.Text(host ?? "-"); w.Byte((byte)' ');
                w.Text(tag); w.Byte((byte)' ');
                w.Int(pid);
                w.Text(" - - ");  // no MSGID, no structured data
                break;
            case LogHeaderFormat.Priority:
                Priority(ref w, facility * 8 + level);
                break;
            case LogHeaderFormat.Short:
                Priority(ref w, level);
                break;
            case LogHeaderFormat.Timed:
                Priority(ref w, level);
                LogDates.Iso(ref w, utc);
                w.Byte((byte)' ');
                break;
            case LogHeaderFormat.Iso:
                LogDates.Iso(ref w, utc);
                w.Byte((byte)' ');
                break;
        }
    }

    private static void Priority(ref AsciiWriter w, int pri)
    {
        w.Byte((byte)'<'); w.Int(pri); w.Byte((byte)'>');
    }
}
