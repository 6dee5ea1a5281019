using Lb.Actors.Persistence;
using Xunit;

namespace Lb.Tests.Persistence;

public sealed class StickFetchTests
{
    [Theory]
    [InlineData("src", false, "Source", false)]
    [InlineData("src", true, "Source", true)]
    [InlineData("req.cook(SID)", false, "Cookie", false)]
    [InlineData("cookie(SID)", false, "Cookie", false)]
    [InlineData("cookie(SID)", true, "Cookie", true)]
    [InlineData("set-cookie(SID)", true, "Cookie", true)]
    [InlineData("res.cook(SID)", true, "Cookie", true)]
    [InlineData("hdr(X-User)", true, "Header", true)]
    [InlineData("req.hdr(X-User,2)", false, "Header", false)]
    [InlineData("res.fhdr(X-User)", true, "FullHeader", true)]
    [InlineData("url_param(sid,;)", false, "UrlParam", false)]
    [InlineData("urlp(sid)", false, "UrlParam", false)]
    [InlineData("path", false, "Path", false)]
    public void Parse_SupportedFetches_KindAndDirection(string pattern, bool responseRule, string kind, bool onResponse)
    {
        var f = StickFetch.Parse(pattern, responseRule, out var error);
        Assert.Null(error);
        Assert.Equal(kind, f!.Kind.ToString());
        Assert.Equal(onResponse, f.OnResponse);
    }

    [Fact]
    public void Parse_Arguments_NameOccurrenceDelimiter()
    {
        var h = StickFetch.Parse("hdr(X-User,-2)", false, out _)!;
        Assert.Equal("X-User"u8.ToArray(), h.Name);
        Assert.Equal(-2, h.Occurrence);
        Assert.Equal((byte)';', StickFetch.Parse("url_param(JSESSIONID,;)", false, out _)!.Delimiter);
        Assert.Equal((byte)'?', StickFetch.Parse("url_param(JSESSIONID)", false, out _)!.Delimiter);
    }

    [Theory]
    [InlineData("src,ipmask(24)", false, "converters")]
    [InlineData("req.cook(SID),lower", false, "converters")]
    [InlineData("base32", false, "not supported")]
    [InlineData("res.cook(SID)", false, "response")]
    [InlineData("req.cook(SID)", true, "request")]
    [InlineData("url_param(sid)", true, "request")]
    [InlineData("hdr()", false, "header name")]
    [InlineData("src(x)", false, "no argument")]
    [InlineData("hdr(X,abc)", false, "occurrence")]
    public void Parse_Unsupported_SaysWhy(string pattern, bool responseRule, string why)
    {
        Assert.Null(StickFetch.Parse(pattern, responseRule, out var error));
        Assert.Contains(why, error);
    }
}
