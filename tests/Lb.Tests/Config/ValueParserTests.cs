using Lb.Config.Values;
using Xunit;

namespace Lb.Tests.Config;

public class ValueParserTests
{
    [Theory]
    [InlineData("5000", 5000)]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5000)]
    [InlineData("1m", 60_000)]
    [InlineData("3h", 10_800_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1000000us", 1000)]
    [InlineData("1us", 1)]
    [InlineData("0", 0)]
    public void Time_ParsesUnits(string text, long ms)
    {
        Assert.Null(TimeParser.TryParse(text, "timeout client", out var t));
        Assert.Equal(ms, (long)t.TotalMilliseconds);
    }

    [Theory]
    [InlineData("10parsecs", "unexpected character 'p' in 'timeout client'")]
    [InlineData("5x", "unexpected character 'x'")]
    [InlineData("5mss", "unexpected character 's'")]
    [InlineData("-5", "unexpected character '-'")]
    [InlineData("", "expects an integer value")]
    [InlineData("25d", "timer overflow")]
    [InlineData("99999999999999999999", "timer overflow")]
    public void Time_RejectsBadValues(string text, string message) =>
        Assert.Contains(message, TimeParser.TryParse(text, "timeout client", out _));

    [Fact]
    public void Time_DefaultUnitCanBeSeconds()
    {
        Assert.Null(TimeParser.TryParse("30", "stats refresh", out var t, defaultUnitMs: 1000));
        Assert.Equal(TimeSpan.FromSeconds(30), t);
    }

    [Theory]
    [InlineData("100", 100)]
    [InlineData("100k", 102_400)]
    [InlineData("1m", 1_048_576)]
    [InlineData("2g", 2_147_483_648)]
    [InlineData("16K", 16_384)]
    public void Size_ParsesSuffixes(string text, long expected)
    {
        Assert.Null(SizeParser.TryParse(text, "size", out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("k")]
    [InlineData("10kb")]
    [InlineData("10t")]
    public void Size_RejectsBadValues(string text) => Assert.NotNull(SizeParser.TryParse(text, "size", out _));

    [Theory]
    [InlineData("*:80", "0.0.0.0", 80, 80)]
    [InlineData(":80", "0.0.0.0", 80, 80)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080, 8080)]
    [InlineData("[::1]:443", "::1", 443, 443)]
    [InlineData(":::80", "::", 80, 80)]
    [InlineData("10.0.0.1:8000-8003", "10.0.0.1", 8000, 8003)]
    [InlineData("ipv6@:80", "::", 80, 80)]
    public void Bind_ParsesAddresses(string text, string ip, int port, int portEnd)
    {
        var list = new List<Endpoint>();
        Assert.Null(AddressParser.TryParseBind(text, list));
        var ep = Assert.Single(list);
        Assert.Equal(ip, ep.Ip!.ToString());
        Assert.Equal(port, ep.Port);
        Assert.Equal(portEnd, ep.PortEnd);
        Assert.Equal(portEnd - port + 1, ep.Ports().Count());
    }

    [Fact]
    public void Bind_CommaListAndUnixSockets()
    {
        var list = new List<Endpoint>();
        Assert.Null(AddressParser.TryParseBind("127.0.0.1:80,[::1]:81", list));
        Assert.Equal(new[] { 80, 81 }, list.Select(e => e.Port));
        Assert.Null(AddressParser.TryParseBind("/run/haproxy.sock", list));
        Assert.Equal(EndpointKind.Unix, list[0].Kind);
        Assert.Null(AddressParser.TryParseBind("unix@/run/x.sock", list));
        Assert.Equal("/run/x.sock", list[0].Host);
    }

    [Theory]
    [InlineData("127.0.0.1", "missing port")]
    [InlineData("127.0.0.1:0", "invalid port")]
    [InlineData("127.0.0.1:65536", "invalid port")]
    [InlineData("127.0.0.1:90-80", "invalid port range")]
    [InlineData("300.1.1.1:80", "invalid address")]
    [InlineData("bogus@x:80", "unknown address family")]
    [InlineData("ipv4@::1:80", "does not match")]
    [InlineData("", "missing address")]
    public void Bind_RejectsBadAddresses(string text, string message) =>
        Assert.Contains(message, AddressParser.TryParseBind(text, new List<Endpoint>()));

    [Theory]
    [InlineData("192.168.1.1:8080", "192.168.1.1", 8080, false)]
    [InlineData("192.168.1.1", "192.168.1.1", 0, false)]
    [InlineData("10.0.0.1:+1000", "10.0.0.1", 1000, true)]
    [InlineData("10.0.0.1:-10", "10.0.0.1", -10, true)]
    [InlineData("db.example.com:3306", "db.example.com", 3306, false)]
    public void Server_ParsesOptionalAndRelativePorts(string text, string host, int port, bool offset)
    {
        Assert.Null(AddressParser.TryParseServer(text, out var ep));
        Assert.Equal(host, ep!.Host);
        Assert.Equal(port, ep.Port);
        Assert.Equal(offset, ep.PortIsOffset);
        Assert.Equal(host.Any(char.IsLetter) ? EndpointKind.Hostname : EndpointKind.Ip, ep.Kind);
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("192.168.0.0/255.255.0.0", true)]
    [InlineData("::1/128", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("notanet", false)]
    public void Network_Recognised(string text, bool ok) => Assert.Equal(ok, NetworkParser.IsNetwork(text));
}
