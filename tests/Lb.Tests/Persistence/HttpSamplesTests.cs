using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Persistence;
using Xunit;

namespace Lb.Tests.Persistence;

public sealed class HttpSamplesTests
{
    private static RequestHead Request(string target, string headers = "")
    {
        var p = HttpHeadParser.ForRequests();
        p.Feed(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: h\r\n{headers}\r\n"));
        return p.TakeRequest();
    }

    private static ResponseHead Response(string headers)
    {
        var p = HttpHeadParser.ForResponses();
        p.Feed(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{headers}Content-Length: 0\r\n\r\n"));
        return p.TakeResponse();
    }

    private static string? Text(bool found, ReadOnlySpan<byte> value) => found ? Encoding.ASCII.GetString(value) : null;

    [Theory]
    [InlineData("Cookie: SID=a\r\n", "a")]
    [InlineData("Cookie: x=1; SID=b; y=2\r\n", "b")]
    [InlineData("Cookie: SID=a; SID=b\r\n", "b")]
    [InlineData("Cookie: SID=a\r\nCookie: SID=c\r\n", "c")]
    [InlineData("Cookie:  SID = spaced ; z=1\r\n", "spaced")]
    [InlineData("Cookie: SID=\"quoted;value\"\r\n", "\"quoted;value\"")]
    [InlineData("Cookie: SIDX=a; XSID=b\r\n", null)]
    [InlineData("Cookie: $Version=1; SID=v\r\n", "v")]
    [InlineData("Cookie: a=1, SID=comma\r\n", "comma")]
    [InlineData("Cookie: SID\r\n", null)]
    [InlineData("", null)]
    public void TryCookie_Request_LastOccurrence(string headers, string? expected)
    {
        using var r = Request("/", headers);
        Assert.Equal(expected, Text(HttpSamples.TryCookie(r, false, "SID"u8, out var v), v));
    }

    [Theory]
    [InlineData("Set-Cookie: JSESSIONID=abc; Path=/\r\n", "abc")]
    [InlineData("Set-Cookie: a=1; JSESSIONID=no\r\n", null)]
    [InlineData("Set-Cookie: JSESSIONID=one\r\nSet-Cookie: JSESSIONID=two; Expires=Wed, 21 Oct 2015 07:28:00 GMT\r\n", "two")]
    public void TryCookie_SetCookie_FirstAttributeOnly(string headers, string? expected)
    {
        using var r = Response(headers);
        Assert.Equal(expected, Text(HttpSamples.TryCookie(r, true, "JSESSIONID"u8, out var v), v));
    }

    [Theory]
    [InlineData("X-U: a\r\n", 0, "a")]
    [InlineData("X-U: a, b\r\n", 0, "b")]
    [InlineData("X-U: a, b\r\nX-U: c\r\n", 0, "c")]
    [InlineData("X-U: a, b\r\nX-U: c\r\n", 1, "a")]
    [InlineData("X-U: a, b\r\nX-U: c\r\n", 2, "b")]
    [InlineData("X-U: a, b\r\nX-U: c\r\n", -2, "b")]
    [InlineData("X-U: a, b\r\nX-U: c\r\n", -3, "a")]
    [InlineData("X-U: a, b\r\nX-U: c\r\n", 4, null)]
    [InlineData("X-U: a, b\r\nX-U: c\r\n", -4, null)]
    [InlineData("X-U: \"x,y\", z\r\n", 1, "\"x,y\"")]
    [InlineData("X-U: a,\r\n", 0, "")]
    [InlineData("X-U:   padded  \r\n", 0, "padded")]
    [InlineData("", 0, null)]
    public void TryHeader_Occurrences_CommaSeparated(string headers, int occurrence, string? expected)
    {
        using var r = Request("/", headers);
        Assert.Equal(expected, Text(HttpSamples.TryHeader(r, "x-u"u8, occurrence, false, out var v), v));
    }

    [Fact]
    public void TryHeader_Full_WholeLines()
    {
        using var r = Request("/", "X-U: a, b\r\nX-U: c\r\n");
        Assert.Equal("a, b", Text(HttpSamples.TryHeader(r, "X-U"u8, 1, true, out var v), v));
        Assert.Equal("c", Text(HttpSamples.TryHeader(r, "X-U"u8, 0, true, out v), v));
    }

    [Theory]
    [InlineData("/p?sid=a", (byte)'?', "a")]
    [InlineData("/p?x=1&sid=b&sid=c", (byte)'?', "b")]
    [InlineData("/p?x=1;sid=c", (byte)'?', "c")]
    [InlineData("/p?xsid=1&sid=d", (byte)'?', "d")]
    [InlineData("/p?sid=", (byte)'?', "")]
    [InlineData("/p?sidd=1", (byte)'?', null)]
    [InlineData("/p", (byte)'?', null)]
    [InlineData("/app;sid=e", (byte)';', "e")]
    [InlineData("/app;sid=e?x=1", (byte)';', "e?x=1")]
    [InlineData("/app;sid=e", (byte)'?', null)]
    public void TryUrlParam_FirstOccurrenceAfterDelimiter(string target, byte delimiter, string? expected) =>
        Assert.Equal(expected, Text(HttpSamples.TryUrlParam(Encoding.ASCII.GetBytes(target), "sid"u8, delimiter, out var v), v));

    [Theory]
    [InlineData("/a/b?x", "/a/b")]
    [InlineData("/", "/")]
    [InlineData("http://h:80/a?y", "/a")]
    [InlineData("http://h", null)]
    [InlineData("*", null)]
    [InlineData("/e?/a/b", "/e")]
    public void TryPath_UpToQuery(string target, string? expected) =>
        Assert.Equal(expected, Text(HttpSamples.TryPath(Encoding.ASCII.GetBytes(target), out var v), v));
}
