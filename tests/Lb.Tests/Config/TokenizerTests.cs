using Lb.Config.Parsing;
using Xunit;

namespace Lb.Tests.Config;

public class TokenizerTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PORT"] = "8080", ["HOST"] = "10.0.0.1", ["EMPTY"] = "" };

    private static string[] Split(string line)
    {
        var words = new List<string>();
        var err = Tokenizer.Tokenize(line, words, n => Env.GetValueOrDefault(n));
        Assert.Null(err);
        return words.ToArray();
    }

    private static string Error(string line) => Tokenizer.Tokenize(line, new List<string>(), _ => null)!;

    [Theory]
    [InlineData("  bind   *:80\t  ssl ", new[] { "bind", "*:80", "ssl" })]
    [InlineData("pidfile /var/run/haproxy.pid# comment glued", new[] { "pidfile", "/var/run/haproxy.pid" })]
    [InlineData("global   # 全局参数", new[] { "global" })]
    [InlineData("stats realm Private\\ lands", new[] { "stats", "realm", "Private lands" })]
    [InlineData("x a\\#b", new[] { "x", "a#b" })]
    [InlineData("x 'a b#c \\n'", new[] { "x", "a b#c \\n" })]
    [InlineData("x \"a b#c\"", new[] { "x", "a b#c" })]
    [InlineData("x \"\"", new[] { "x", "" })]
    [InlineData("x ab\"c d\"ef", new[] { "x", "abc def" })]
    [InlineData("x \"it's\"", new[] { "x", "it's" })]
    [InlineData("x 'say \"hi\"'", new[] { "x", "say \"hi\"" })]
    [InlineData("acl a url_reg ^/x\\.php$", new[] { "acl", "a", "url_reg", "^/x\\.php$" })]
    [InlineData("x a\\\\b", new[] { "x", "a\\b" })]
    [InlineData("x \\x41\\x7a", new[] { "x", "Az" })]
    [InlineData("# only a comment", new string[0])]
    public void Tokenize_SplitsLikeHaproxy(string line, string[] expected) => Assert.Equal(expected, Split(line));

    [Fact]
    public void Tokenize_CrLfEscapesInHttpchk_BecomeBytes()
    {
        var words = Split("option httpchk HEAD /index.jsp HTTP/1.1\\r\\nHost:\\ www.xxx.com");
        Assert.Equal(new[] { "option", "httpchk", "HEAD", "/index.jsp", "HTTP/1.1\r\nHost: www.xxx.com" }, words);
    }

    [Theory]
    [InlineData("bind \"${HOST}:${PORT}\"", "10.0.0.1:8080")]
    [InlineData("bind \"$HOST:$PORT\"", "10.0.0.1:8080")]
    [InlineData("bind \"${MISSING-127.0.0.1}:80\"", "127.0.0.1:80")]
    [InlineData("bind \"${EMPTY-1.2.3.4}:80\"", "1.2.3.4:80")]
    [InlineData("bind \"${MISSING}:80\"", ":80")]
    [InlineData("bind '${HOST}'", "${HOST}")]
    [InlineData("bind ${HOST}", "${HOST}")]
    [InlineData("bind \"\\${HOST}\"", "${HOST}")]
    [InlineData("bind \"cost $5\"", "cost $5")]
    public void Tokenize_EnvironmentOnlyInDoubleQuotes(string line, string expected) => Assert.Equal(expected, Split(line)[1]);

    [Theory]
    [InlineData("x \"abc")]
    [InlineData("x 'abc")]
    [InlineData("x \"a'b")]
    public void Tokenize_UnmatchedQuote_IsAnError(string line) => Assert.Equal("unmatched quote", Error(line));

    [Fact]
    public void Tokenize_BadHexEscape_IsAnError() => Assert.Contains("hexadecimal", Error("x \\xZZ"));

    [Fact]
    public void Tokenize_UnclosedBrace_IsAnError() => Assert.Contains("'}'", Error("x \"${HOST\""));
}
