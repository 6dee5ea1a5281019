using System.Net;
using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Rules.Matching;
using Xunit;

namespace Lb.Tests.Rules;

public class MatcherTests
{
    private static Matcher Make(MatchMethod method, bool ignoreCase, params string[] patterns)
    {
        var m = MatcherFactory.Create(method, patterns, ignoreCase, out var error);
        Assert.True(m != null, error);
        return m!;
    }

    private static bool Str(Matcher m, string sample) => m.MatchString(Encoding.Latin1.GetBytes(sample));

    [Theory]
    [InlineData(MatchMethod.Str, false, "abc.com", "abc.com", true)]
    [InlineData(MatchMethod.Str, false, "abc.com", "ABC.com", false)]
    [InlineData(MatchMethod.Str, true, "abc.com", "ABC.com", true)]
    [InlineData(MatchMethod.Str, true, "ABC.com", "abc.COM", true)]
    [InlineData(MatchMethod.Str, false, "abc.com", "abc.com.", false)]
    [InlineData(MatchMethod.Beg, false, "/static", "/static/a.png", true)]
    [InlineData(MatchMethod.Beg, false, "/static", "/Static/a.png", false)]
    [InlineData(MatchMethod.Beg, true, "/static", "/STATIC/a.png", true)]
    [InlineData(MatchMethod.Beg, false, "/static", "/stat", false)]
    [InlineData(MatchMethod.End, false, ".php", "/index.php", true)]
    [InlineData(MatchMethod.End, false, ".php", "/index.PHP", false)]
    [InlineData(MatchMethod.End, true, ".php", "/index.PHP", true)]
    [InlineData(MatchMethod.End, false, ".cn", "www.example.cn", true)]
    [InlineData(MatchMethod.Sub, false, "admin", "/x/admin/y", true)]
    [InlineData(MatchMethod.Sub, false, "admin", "/x/Admin/y", false)]
    [InlineData(MatchMethod.Sub, true, "ADMIN", "/x/admin/y", true)]
    [InlineData(MatchMethod.Reg, false, "^/xxx", "/xxx/list", true)]
    [InlineData(MatchMethod.Reg, false, "^/xxx", "/XXX/list", false)]
    [InlineData(MatchMethod.Reg, true, "^/xxx", "/XXX/list", true)]
    [InlineData(MatchMethod.Reg, false, "/*.php$", "/a/b.php", true)]
    [InlineData(MatchMethod.Reg, false, "/*.php$", "/a/b.php?x", false)]
    [InlineData(MatchMethod.Reg, true, "iphone", "Mozilla/5.0 (iPhone; CPU)", true)]
    [InlineData(MatchMethod.Dom, false, "example.com", "www.example.com", true)]
    [InlineData(MatchMethod.Dom, false, "example.com", "www.example.com:8080", true)]
    [InlineData(MatchMethod.Dom, false, "example.com", "myexample.com", false)]
    [InlineData(MatchMethod.Dom, false, ".example.", "a.example.org", true)]
    [InlineData(MatchMethod.Dom, true, "EXAMPLE", "www.example.com", true)]
    [InlineData(MatchMethod.Dir, false, "img", "/static/img/a.png", true)]
    [InlineData(MatchMethod.Dir, false, "/img/", "/img", true)]
    [InlineData(MatchMethod.Dir, false, "img", "/static/images/a.png", false)]
    [InlineData(MatchMethod.Dir, false, "a.png", "/static/img/a.png?x=1", true)]
    [InlineData(MatchMethod.Dir, false, "static/img", "/static/img/a.png", true)]
    [InlineData(MatchMethod.Dir, false, "img", "/a.img/x", false)]
    public void MatchString_TextMethods_FollowHaproxy(MatchMethod method, bool ignoreCase, string pattern, string sample, bool expected)
    {
        Assert.Equal(expected, Str(Make(method, ignoreCase, pattern), sample));
    }

    [Fact]
    public void MatchString_SeveralPatterns_AnyMatches()
    {
        var m = Make(MatchMethod.Beg, false, "/static", "/small", "/big");
        Assert.True(Str(m, "/small/x"));
        Assert.True(Str(m, "/big"));
        Assert.False(Str(m, "/other"));
    }

    [Fact]
    public void MatchString_ManyExactPatterns_UsesTheSetAndStillIgnoresCase()
    {
        var patterns = Enumerable.Range(0, 50).Select(i => $"host{i}.example.com").ToArray();
        var m = Make(MatchMethod.Str, true, patterns);
        Assert.True(Str(m, "HOST17.example.com"));
        Assert.False(Str(m, "host50.example.com"));
        var exact = Make(MatchMethod.Str, false, patterns);
        Assert.False(Str(exact, "HOST17.example.com"));
        Assert.True(Str(exact, "host49.example.com"));
    }

    [Fact]
    public void MatchString_LongSample_BeyondTheStackBuffer()
    {
        var sample = "/" + new string('a', 5000) + "/needle";
        Assert.True(Str(Make(MatchMethod.Sub, true, "NEEDLE"), sample));
        Assert.True(Str(Make(MatchMethod.Reg, false, "needle$"), sample));
        Assert.True(Str(Make(MatchMethod.Len, false, "gt", "5000"), sample));
    }

    [Theory]
    [InlineData(new[] { "3" }, 3, true)]
    [InlineData(new[] { "3" }, 4, false)]
    [InlineData(new[] { "eq", "3" }, 3, true)]
    [InlineData(new[] { "lt", "1" }, 0, true)]
    [InlineData(new[] { "lt", "1" }, 1, false)]
    [InlineData(new[] { "le", "1" }, 1, true)]
    [InlineData(new[] { "gt", "10" }, 10, false)]
    [InlineData(new[] { "gt", "10" }, 11, true)]
    [InlineData(new[] { "ge", "10" }, 10, true)]
    [InlineData(new[] { "ge", "10" }, 9, false)]
    [InlineData(new[] { "10:20" }, 15, true)]
    [InlineData(new[] { "10:20" }, 21, false)]
    [InlineData(new[] { ":20" }, -5, true)]
    [InlineData(new[] { "10:" }, 1000000, true)]
    [InlineData(new[] { "lt", "5", "100" }, 50, true)]   // the operator applies to every value after it
    [InlineData(new[] { "lt", "5", "100" }, 100, false)]
    [InlineData(new[] { "1", "2", "80" }, 80, true)]
    [InlineData(new[] { "-3" }, -3, true)]
    public void MatchInt_OperatorsAndRanges(string[] patterns, long sample, bool expected)
    {
        Assert.Equal(expected, Make(MatchMethod.Int, false, patterns).MatchInt(sample));
    }

    [Fact]
    public void MatchInt_TextSample_ReadsLeadingDigits()
    {
        var m = Make(MatchMethod.Int, false, "gt", "100");
        Assert.True(Str(m, "150abc"));
        Assert.False(Str(m, "abc"));   // 0
        Assert.False(Str(m, ""));      // no conversion
    }

    [Fact]
    public void MatchString_Len_ComparesTheLength()
    {
        var m = Make(MatchMethod.Len, false, "le", "3");
        Assert.True(Str(m, "abc"));
        Assert.False(Str(m, "abcd"));
        Assert.True(Str(m, ""));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "11.1.2.3", false)]
    [InlineData("192.168.1.0/255.255.255.0", "192.168.1.77", true)]
    [InlineData("192.168.1.0/255.255.255.0", "192.168.2.77", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.1/8", "127.9.9.9", true)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("2001:db8::/32", "2001:db9::5", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.2.3.4", true)]
    [InlineData("::ffff:10.0.0.0/104", "10.2.3.4", true)]
    [InlineData("10.0.0.0/8", "2001:db8::1", false)]
    public void MatchIp_Networks(string pattern, string sample, bool expected)
    {
        Assert.Equal(expected, Make(MatchMethod.Ip, false, pattern).MatchIp(IPAddress.Parse(sample)));
    }

    [Fact]
    public void MatchIp_TextSample_ParsedOrNoMatch()
    {
        var m = Make(MatchMethod.Ip, false, "10.0.0.0/8");
        Assert.True(Str(m, "10.9.8.7"));
        Assert.False(Str(m, "not-an-ip"));
    }

    [Fact]
    public void MatchString_IntSampleWithTextMatcher_ComparesTheDecimalText()
    {
        Assert.True(Make(MatchMethod.Str, false, "8080").MatchInt(8080));
        Assert.True(Make(MatchMethod.Beg, false, "127.").MatchIp(IPAddress.Loopback));
    }

    [Fact]
    public void Found_AnySample_Matches()
    {
        var m = Make(MatchMethod.Found, false);
        Assert.True(Str(m, ""));
        Assert.True(m.MatchInt(0));
    }

    [Fact]
    public void Bool_TrueOrNonZero_Matches()
    {
        var m = Make(MatchMethod.Bool, false);
        Assert.True(m.MatchBool(true));
        Assert.False(m.MatchBool(false));
        Assert.True(m.MatchInt(2));
        Assert.False(m.MatchInt(0));
    }

    [Fact]
    public void Bin_HexPatterns_CompareBytes()
    {
        var m = Make(MatchMethod.Bin, false, "414243");
        Assert.True(Str(m, "ABC"));
        Assert.False(Str(m, "abc"));
        Assert.Null(MatcherFactory.Create(MatchMethod.Bin, ["41Z"], false, out var error));
        Assert.Contains("hexadecimal", error);
    }

    [Fact]
    public void Meth_KnownByKindOtherByText()
    {
        var m = Make(MatchMethod.Meth, false, "GET", "PURGE");
        Assert.True(m.MatchMethod(RequestMethod.Get, "GET"u8));
        Assert.False(m.MatchMethod(RequestMethod.Post, "POST"u8));
        Assert.True(m.MatchMethod(RequestMethod.Other, "PURGE"u8));
        Assert.False(m.MatchMethod(RequestMethod.Other, "purge"u8));
        Assert.True(Make(MatchMethod.Meth, true, "purge").MatchMethod(RequestMethod.Other, "PURGE"u8));
        // A lower-case "get" is not the GET method (case-sensitive, as in HAProxy).
        Assert.False(Make(MatchMethod.Meth, false, "get").MatchMethod(RequestMethod.Get, "GET"u8));
    }

    [Fact]
    public void NoPatterns_NeverMatches()
    {
        Assert.False(Str(Make(MatchMethod.Str, false), "x"));
        Assert.False(Make(MatchMethod.Int, false).MatchInt(1));
    }

    [Theory]
    [InlineData(MatchMethod.Int, "abc")]
    [InlineData(MatchMethod.Int, "1:x")]
    [InlineData(MatchMethod.Ip, "10.0.0.0/33")]
    [InlineData(MatchMethod.Ip, "www.example.com")]
    [InlineData(MatchMethod.Reg, "(unclosed")]
    public void Create_BadPattern_ReturnsAnError(MatchMethod method, string pattern)
    {
        Assert.Null(MatcherFactory.Create(method, [pattern], false, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void ReadPatternFile_SkipsCommentsAndBlankLines_KeepsTrailingText()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\n\n  /a\n\t/b \r\n #not a comment\n");
            Assert.Equal(["/a", "/b ", "#not a comment"], MatcherFactory.ReadPatternFile(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Match_NoAllocation()
    {
        var matchers = new[]
        {
            Make(MatchMethod.Str, true, "www.example.com", "example.com"),
            Make(MatchMethod.Beg, true, "/static"),
            Make(MatchMethod.Reg, true, "iphone|android"),
            Make(MatchMethod.Dom, false, "example"),
            Make(MatchMethod.Str, true, Enumerable.Range(0, 20).Select(i => $"h{i}").ToArray()),
        };
        var sample = "Mozilla/5.0 (Linux; Android 13) www.Example.com"u8.ToArray();
        foreach (var m in matchers) m.MatchString(sample);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            foreach (var m in matchers) m.MatchString(sample);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
