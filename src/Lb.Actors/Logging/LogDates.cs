namespace Lb.Actors.Logging;

/// <summary>The date shapes of haproxy's logs, written from a UTC time (local time is derived here).</summary>
internal static class LogDates
{
    private static readonly string[] Months = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

    public static TimeSpan Offset(DateTime utc) => TimeZoneInfo.Local.GetUtcOffset(utc);

    /// <summary>RFC 3164 header time, local: "Dec  5 18:33:14" (day padded with a space).</summary>
    public static void Legacy(ref AsciiWriter w, DateTime utc)
    {
        var t = utc + Offset(utc);
        w.Text(Months[t.Month - 1]);
        w.Byte((byte)' ');
        if (t.Day < 10) w.Byte((byte)' ');
        w.Int(t.Day);
        w.Byte((byte)' ');
        Clock(ref w, t);
    }

    /// <summary>RFC 5424 / iso header time, local with offset: "2026-12-05T18:33:13.062832+00:00".</summary>
    public static void Iso(ref AsciiWriter w, DateTime utc)
    {
        var offset = Offset(utc);
        var t = utc + offset;
        w.Padded(t.Year, 4); w.Byte((byte)'-'); w.Padded(t.Month, 2); w.Byte((byte)'-'); w.Padded(t.Day, 2);
        w.Byte((byte)'T');
        Clock(ref w, t);
        w.Byte((byte)'.');
        w.Padded(t.Ticks % TimeSpan.TicksPerSecond / 10, 6);
        Zone(ref w, offset, colon: true);
    }

    /// <summary>%t / %tr, local: "05/Dec/2026:18:33:14.247".</summary>
    public static void Accept(ref AsciiWriter w, DateTime utc)
    {
        var t = utc + Offset(utc);
        DayMonthYear(ref w, t);
        w.Byte((byte)':');
        Clock(ref w, t);
        w.Byte((byte)'.');
        w.Padded(t.Millisecond, 3);
    }

    /// <summary>%T / %trg (GMT, "05/Dec/2026:18:33:36 +0000") and %Tl / %trl (local with its offset).</summary>
    public static void WithZone(ref AsciiWriter w, DateTime utc, bool local)
    {
        var offset = local ? Offset(utc) : TimeSpan.Zero;
        var t = utc + offset;
        DayMonthYear(ref w, t);
        w.Byte((byte)':');
        Clock(ref w, t);
        w.Byte((byte)' ');
        Zone(ref w, offset, colon: false);
    }

    private static void DayMonthYear(ref AsciiWriter w, DateTime t)
    {
        w.Padded(t.Day, 2); w.Byte((byte)'/'); w.Text(Months[t.Month - 1]); w.Byte((byte)'/'); w.Padded(t.Year, 4);
    }

    private static void Clock(ref AsciiWriter w, DateTime t)
    {
        w.Padded(t.Hour, 2); w.Byte((byte)':'); w.Padded(t.Minute, 2); w.Byte((byte)':'); w.Padded(t.Second, 2);
    }

    private static void Zone(ref AsciiWriter w, TimeSpan offset, bool colon)
    {
        w.Byte(offset < TimeSpan.Zero ? (byte)'-' : (byte)'+');
        var abs = offset.Duration();
        w.Padded(abs.Hours, 2);
        if (colon) w.Byte((byte)':');
        w.Padded(abs.Minutes, 2);
    }
}
