using System.Net;
using System.Text;
using Lb.Actors.Balancing;
using Xunit;

namespace Lb.Tests.Balancing;

public sealed class HashKeysTests
{
    private static string S(ReadOnlySpan<byte> b) => Encoding.Latin1.GetString(b);
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void HashFunctions_KnownValues()
    {
        Assert.Equal(0xCBF43926u, HashFunctions.Crc32(B("123456789")));
        Assert.Equal(5381u, HashFunctions.Djb2([]));
        Assert.Equal(5381u * 33 + 'a', HashFunctions.Djb2(B("a")));
        Assert.Equal(6363201u, HashFunctions.Sdbm(B("ab")));
        Assert.NotEqual(HashFunctions.Wt6(B("ab")), HashFunctions.Wt6(B("ba")));
        Assert.NotEqual(HashFunctions.Avalanche(1), HashFunctions.Avalanche(2));
    }

    [Theory]
    [InlineData("/a/b/c?x=1", false, 0, 0, "/a/b/c")]
    [InlineData("/a/b/c?x=1", true, 0, 0, "/a/b/c?x=1")]
    [InlineData("/a/b/c?x=1", false, 0, 2, "/a/b")]
    [InlineData("/a/b/c?x=1", false, 0, 1, "/a")]
    [InlineData("/a/b/c?x=1", true, 3, 0, "/a/")]
    [InlineData("/a?b/c", false, 0, 1, "/a")]
    public void Uri_WholeLenDepth(string uri, bool whole, int len, int depth, string expected) =>
        Assert.Equal(expected, S(HashKeys.Uri(B(uri), whole, len, depth)));

    [Theory]
    [InlineData("/p?q", "/p?q")]
    [InlineData("http://h:80/x/y?z", "/x/y?z")]
    [InlineData("http://h", "")]
    [InlineData("*", "")]
    public void Path_OfTarget(string uri, string expected) => Assert.Equal(expected, S(HashKeys.Path(B(uri))));

    [Theory]
    [InlineData("/p?a=1&userid=bob&c", "bob")]
    [InlineData("/p?xuserid=1&userid=2", "2")]
    [InlineData("/p?userid=", "")]
    [InlineData("/p?userid", null)]
    [InlineData("/userid=1", null)]
    public void UrlParam_FirstExactName(string uri, string? expected)
    {
        bool found = HashKeys.TryUrlParam(B(uri), B("userid"), out var v);
        Assert.Equal(expected != null, found);
        if (found) Assert.Equal(expected, S(v));
    }

    [Theory]
    [InlineData("userid=%41&x", "%41")]
    [InlineData("userid= x", "")]
    [InlineData("userid=\"x\"", null)]
    public void BodyParam_TokenCheckOnFirstByte(string body, string? expected)
    {
        bool found = HashKeys.TryBodyParam(B(body), B("userid"), out var v);
        Assert.Equal(expected != null, found);
        if (found) Assert.Equal(expected, S(v));
    }

    [Theory]
    [InlineData("www.example.com", "example")]
    [InlineData("example.com", "example")]
    [InlineData("localhost", "localhost")]
    [InlineData("a.b.c.test.net", "test")]
    public void DomainOnly_LabelBeforeTheLastDot(string host, string expected) => Assert.Equal(expected, S(HashKeys.DomainOnly(B(host))));

    [Fact]
    public void RdpCookie_ValueAfterTheHeaders()
    {
        var header = new byte[11];
        var full = header.Concat(B("Cookie: mstshash=user1\r\n")).ToArray();
        Assert.True(HashKeys.TryRdpCookie(full, B("mstshash"), out var v, out _));
        Assert.Equal("user1", S(v));
        Assert.False(HashKeys.TryRdpCookie(full[..25], B("mstshash"), out _, out bool complete));
        Assert.False(complete);
        Assert.False(HashKeys.TryRdpCookie(header.Concat(B("Cookie: other=1\r\n")).ToArray(), B("mstshash"), out _, out complete));
        Assert.True(complete);
    }

    [Fact]
    public void Source_AddressWordsXored()
    {
        Assert.True(HashKeys.TrySourceHash(IPAddress.Parse("127.0.0.1"), out var h4));
        Assert.Equal(0x7F000001u, h4);
        Assert.True(HashKeys.TrySourceHash(IPAddress.Parse("::ffff:127.0.0.1"), out var mapped));
        Assert.Equal(h4, mapped);
        Assert.True(HashKeys.TrySourceHash(IPAddress.Parse("1:2:3:4:5:6:7:8"), out var h6));
        Assert.Equal(0x00010002u ^ 0x00030004u ^ 0x00050006u ^ 0x00070008u, h6);
        Assert.False(HashKeys.TrySourceHash(null, out _));
    }
}
