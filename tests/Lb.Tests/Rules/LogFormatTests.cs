using System.Net;
using System.Text;
using Lb.Actors.Rules;
using Lb.Actors.Rules.Format;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Rules;

public class LogFormatTests
{
    private static string Eval(string format, string request = "GET /p/a?x=1 HTTP/1.1\r\nHost: H.example\r\nX-A: 1, 2\r\n\r\n")
    {
        var errors = new List<string>();
        var f = LogFormat.Parse(format, null, errors);
        Assert.Empty(errors);
        using var head = ParseRequest(request);
        var ctx = new RuleContext(IPEndPoint.Parse("10.0.0.7:5555"), IPEndPoint.Parse("127.0.0.1:80"), head);
        var b = new ValueBuilder(stackalloc byte[16]);
        try
        {
            f.Write(ctx, ref b);
            return Encoding.Latin1.GetString(b.Written);
        }
        finally { b.Dispose(); }
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%%", "100%")]
    [InlineData("%[src]:%[src_port]", "10.0.0.7:5555")]
    [InlineData("%ci:%cp -> %fi:%fp", "10.0.0.7:5555 -> 127.0.0.1:80")]
    [InlineData("%[req.hdr(host),lower]%[path]", "h.example/p/a")]
    [InlineData("%[hdr(x-a)]", "2")]
    [InlineData("%[hdr(x-a,1)]", "1")]
    [InlineData("[%[req.hdr(x-none)]]", "[]")]
    [InlineData("%{+Q}[req.hdr(host)]", "H.example")]
    [InlineData("%HM %HU %HP %HQ %HV", "GET /p/a?x=1 /p/a ?x=1 HTTP/1.1")]
    [InlineData("%r", "GET /p/a?x=1 HTTP/1.1")]
    [InlineData("%[url_param(x)]-%[query]-%[method]", "1-x=1-GET")]
    public void Write_LiteralsExpressionsAliases(string format, string expected)
    {
        Assert.Equal(expected, Eval(format));
    }

    [Fact]
    public void Write_LongValue_GrowsPastTheStackBuffer()
    {
        var big = new string('v', 3000);
        Assert.Equal(big + "!", Eval("%[req.hdr(x-big)]!", $"GET / HTTP/1.1\r\nHost: h\r\nX-Big: {big}\r\n\r\n"));
    }

    [Fact]
    public void Parse_Constant_KeptAsBytes()
    {
        Assert.Equal("abc"u8.ToArray(), LogFormat.Parse("abc", null, new List<string>()).Constant);
        Assert.Null(LogFormat.Parse("a%[src]", null, new List<string>()).Constant);
    }

    [Theory]
    [InlineData("%[nosuchfetch]")]
    [InlineData("%[src,nosuchconverter]")]
    [InlineData("%[src")]
    [InlineData("%Tq")]
    public void Parse_Unsupported_ReportsAndWritesNothing(string format)
    {
        var errors = new List<string>();
        var f = LogFormat.Parse(format, null, errors);
        Assert.NotEmpty(errors);
        var b = new ValueBuilder(stackalloc byte[16]);
        f.Write(new RuleContext(null, null), ref b);
        Assert.Equal(0, b.Length);
        b.Dispose();
    }
}
