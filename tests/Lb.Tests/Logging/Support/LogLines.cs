using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>An RFC 3164 line as haproxy sends it: "&lt;PRI&gt;Mmm dd hh:mm:ss [host ]tag[pid]: message\n".</summary>
public sealed record Rfc3164Line(int Facility, int Level, string Time, string? Host, string Tag, int Pid, string Message)
{
    private static readonly Regex Shape = new(
        @"^<(\d+)>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?:(\S+) )?([^ \[]+)\[(\d+)\]: (.*)\n$", RegexOptions.Singleline);

    public static Rfc3164Line Parse(string datagram)
    {
        var m = Shape.Match(datagram);
        Assert.True(m.Success, $"not an rfc3164 line: '{datagram}'");
        int pri = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return new Rfc3164Line(pri / 8, pri % 8, m.Groups[2].Value, m.Groups[3].Success ? m.Groups[3].Value : null,
            m.Groups[4].Value, int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture), m.Groups[6].Value);
    }
}

/// <summary>
/// The fields of haproxy's default httplog line, by name:
/// "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r".
/// </summary>
public static class HttpLog
{
    private static readonly Regex Shape = new(
        @"^(?<ci>[\d.]+):(?<cp>\d+) \[(?<tr>\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d{3})\] (?<ft>\S+) (?<b>[^/ ]+)/(?<s>\S+) " +
        @"(?<TR>-?\d+)/(?<Tw>-?\d+)/(?<Tc>-?\d+)/(?<Tr>-?\d+)/(?<Ta>\+?-?\d+) (?<ST>-?\d+) (?<B>\+?\d+) (?<CC>\S+) (?<CS>\S+) " +
        @"(?<tsc>\S{4}) (?<ac>\d+)/(?<fc>\d+)/(?<bc>\d+)/(?<sc>\d+)/(?<rc>\+?\d+) (?<sq>\d+)/(?<bq>\d+) " +
        @"(?:(?<hr>\{[^}]*\}) )?(?:(?<hs>\{[^}]*\}) )?(?<r>"".*"")$");

    public static readonly string[] Fields =
        { "ci", "cp", "tr", "ft", "b", "s", "TR", "Tw", "Tc", "Tr", "Ta", "ST", "B", "CC", "CS", "tsc", "ac", "fc", "bc", "sc", "rc", "sq", "bq", "hr", "hs", "r" };

    public static Dictionary<string, string> Parse(string message)
    {
        var m = Shape.Match(message);
        Assert.True(m.Success, $"not an httplog line: '{message}'");
        return Fields.ToDictionary(f => f, f => m.Groups[f].Success ? m.Groups[f].Value : "");
    }
}

/// <summary>"%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq".</summary>
public static class TcpLog
{
    private static readonly Regex Shape = new(
        @"^(?<ci>[\d.]+):(?<cp>\d+) \[(?<t>\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d{3})\] (?<ft>\S+) (?<b>[^/ ]+)/(?<s>\S+) " +
        @"(?<Tw>-?\d+)/(?<Tc>-?\d+)/(?<Tt>\+?-?\d+) (?<B>\+?\d+) (?<ts>\S{2}) (?<ac>\d+)/(?<fc>\d+)/(?<bc>\d+)/(?<sc>\d+)/(?<rc>\+?\d+) (?<sq>\d+)/(?<bq>\d+)$");

    public static readonly string[] Fields = { "ci", "cp", "t", "ft", "b", "s", "Tw", "Tc", "Tt", "B", "ts", "ac", "fc", "bc", "sc", "rc", "sq", "bq" };

    public static Dictionary<string, string> Parse(string message)
    {
        var m = Shape.Match(message);
        Assert.True(m.Success, $"not a tcplog line: '{message}'");
        return Fields.ToDictionary(f => f, f => m.Groups[f].Value);
    }
}
