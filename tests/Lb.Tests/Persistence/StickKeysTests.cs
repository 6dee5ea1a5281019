using System.Net;
using System.Text;
using Lb.Actors.Persistence;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Persistence;

public sealed class StickKeysTests
{
    private static StickTableDefinition Def(StickTableType type, int len = 32) =>
        StickTableDefinition.From("t", new StickTable(type, len, 10, null, false, null, [], default));

    private static string Key(IPAddress a, StickTableDefinition d)
    {
        var buf = new byte[64];
        int n = StickKeys.FromAddress(a, d, buf);
        return n < 0 ? "none" : Convert.ToHexString(buf, 0, n);
    }

    private static string Key(string text, StickTableDefinition d)
    {
        var buf = new byte[64];
        int n = StickKeys.FromText(Encoding.ASCII.GetBytes(text), d, buf);
        return n < 0 ? "none" : Convert.ToHexString(buf, 0, n);
    }

    [Theory]
    [InlineData("127.0.0.9", "7F000009")]
    [InlineData("::ffff:10.1.2.3", "0A010203")]
    [InlineData("2001:db8::1", "none")]
    public void FromAddress_IpTable_FourBytesOrNothing(string address, string expected) =>
        Assert.Equal(expected, Key(IPAddress.Parse(address), Def(StickTableType.Ip)));

    [Fact]
    public void FromAddress_Ipv6Table_MapsIpv4() =>
        Assert.Equal("00000000000000000000FFFF7F000001", Key(IPAddress.Loopback, Def(StickTableType.Ipv6)));

    [Theory]
    [InlineData("127.0.0.1", "7F000001")]
    [InlineData("::1", "none")]
    public void FromAddress_IntegerTable_AddressValue(string address, string expected) =>
        Assert.Equal(expected, Key(IPAddress.Parse(address), Def(StickTableType.Integer)));

    [Fact]
    public void FromAddress_StringTable_TextCutToLen()
    {
        Assert.Equal(Convert.ToHexString("10.0.0.1"u8), Key(IPAddress.Parse("10.0.0.1"), Def(StickTableType.String)));
        Assert.Equal(Convert.ToHexString("127.0.0."u8), Key(IPAddress.Parse("127.0.0.1"), Def(StickTableType.String, 8)));
    }

    [Fact]
    public void FromAddress_BinaryTable_RawBytesPadded() =>
        Assert.Equal("7F00000100000000", Key(IPAddress.Loopback, Def(StickTableType.Binary, 8)));

    [Theory]
    [InlineData("42", "0000002A")]
    [InlineData("42abc", "0000002A")]
    [InlineData("abc", "00000000")]
    [InlineData("-1", "FFFFFFFF")]
    [InlineData("+7", "00000007")]
    [InlineData("4294967338", "0000002A")]
    [InlineData("", "none")]
    public void FromText_IntegerTable_LeadingDigitsOn32Bits(string text, string expected) =>
        Assert.Equal(expected, Key(text, Def(StickTableType.Integer)));

    [Theory]
    [InlineData("ab", "61620000")]
    [InlineData("abcd", "61626364")]
    [InlineData("abcdef", "61626364")]
    public void FromText_BinaryTable_PaddedOrCut(string text, string expected) =>
        Assert.Equal(expected, Key(text, Def(StickTableType.Binary, 4)));

    [Theory]
    [InlineData("10.0.0.7", "0A000007")]
    [InlineData("nope", "none")]
    public void FromText_IpTable_ParsesTheAddress(string text, string expected) =>
        Assert.Equal(expected, Key(text, Def(StickTableType.Ip)));

    [Fact]
    public void Format_Keys_AsShowTablePrintsThem()
    {
        Assert.Equal("127.0.0.1", StickKeys.Format([127, 0, 0, 1], Def(StickTableType.Ip)));
        Assert.Equal("42", StickKeys.Format([0, 0, 0, 42], Def(StickTableType.Integer)));
        Assert.Equal("abc", StickKeys.Format("abc"u8, Def(StickTableType.String)));
    }
}
