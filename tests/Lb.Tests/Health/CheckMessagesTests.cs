using Lb.Actors.Health;
using Lb.Config;
using Lb.Config.Model;
using System.Text;
using Xunit;

namespace Lb.Tests.Health;

/// <summary>Check requests, verdicts and log lines, compared with what haproxy 2.6.12 sends and prints.</summary>
public sealed class CheckMessagesTests
{
    private static Proxy Backend(string lines)
    {
        var loaded = ConfigLoader.LoadText($"defaults\n    mode http\nbackend be\n{lines}\n    server s1 127.0.0.1:8080 check\n", "t.cfg", _ => null);
        Assert.NotNull(loaded.Config);
        return loaded.Config!.Backends.Single(b => b.Name == "be");
    }

    private static string Request(string lines, string? state = null) =>
        Encoding.Latin1.GetString(HttpCheckRequest.Build(Backend(lines).HttpCheck, state));

    [Fact]
    public void Request_Default_IsABareOptionsHttp10()
    {
        Assert.Equal("OPTIONS / HTTP/1.0\r\n\r\n", Request("    option httpchk"));
    }

    [Fact]
    public void Request_LegacyHeaderForm_MatchesHaproxy()
    {
        Assert.Equal("HEAD /index.jsp HTTP/1.1\r\nhost: www.xxx.com\r\nx-haproxy-server-state: DOWN; address=127.0.0.1; port=18102; name=be2/b; node=lbnode; weight=3/5; scur=0/0; qcur=0\r\nconnection: close\r\n\r\n",
            Request(@"    option httpchk HEAD /index.jsp HTTP/1.1\r\nHost:\ www.xxx.com",
                HttpCheckRequest.StateHeader("DOWN", "127.0.0.1", 18102, "be2", "b", "lbnode", 3, 5, 0, 0, 0)));
    }

    [Fact]
    public void Request_HttpCheckSend_WithHeadersAndBody_MatchesHaproxy()
    {
        Assert.Equal("GET /h HTTP/1.1\r\nhost: example.org\r\nx-a: b c\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello",
            Request("    option httpchk\n    http-check send meth GET uri /h ver HTTP/1.1 hdr Host example.org hdr X-A \"b c\" body hello"));
    }

    [Theory]
    [InlineData("", 200, true, CheckStatus.L7Ok)]
    [InlineData("", 302, true, CheckStatus.L7Ok)]
    [InlineData("", 500, true, CheckStatus.L7Sts)]
    [InlineData("", 404, true, CheckStatus.L7Sts)]
    [InlineData("    http-check disable-on-404", 404, true, CheckStatus.L7OkC)]
    [InlineData("    http-check disable-on-404", 404, false, CheckStatus.L7Sts)]
    [InlineData("    http-check expect status 200-299,302", 302, true, CheckStatus.L7Ok)]
    [InlineData("    http-check expect status 200", 204, true, CheckStatus.L7Sts)]
    [InlineData("    http-check expect ! rstatus ^5", 503, true, CheckStatus.L7Sts)]
    [InlineData("    http-check expect ! rstatus ^5", 404, true, CheckStatus.L7Ok)]
    [InlineData("    http-check expect string ready", 200, true, CheckStatus.L7Ok)]
    [InlineData("    http-check expect string nomatch", 200, true, CheckStatus.L7Rsp)]
    [InlineData("    http-check expect rstring ^sta", 500, true, CheckStatus.L7Ok)]
    public void Judge_FollowsTheExpectRules(string lines, int code, bool up, CheckStatus want)
    {
        var hc = Backend("    option httpchk GET /health\n" + lines).HttpCheck;
        Assert.Equal(want, HttpCheckResponse.Judge(hc, code, "Reason", "status: ready\n", up).Status);
    }

    [Fact]
    public void ParseStatusLine_ReadsCodeAndReason_RejectsNonHttp()
    {
        Assert.Equal((500, "Internal Server Error"), HttpCheckResponse.ParseStatusLine("HTTP/1.1 500 Internal Server Error\r\n"u8));
        Assert.Null(HttpCheckResponse.ParseStatusLine("HTTP/1.1 200 O"u8));
        Assert.Equal(-1, HttpCheckResponse.ParseStatusLine("SSH-2.0-OpenSSH\r\n"u8)!.Value.Code);
    }

    // Lines printed by haproxy 2.6.12 -db for the same events.
    [Fact]
    public void Describe_Down_L4_MatchesHaproxy()
    {
        var why = new CheckResult(CheckStatus.L4Con, null, "Connection refused", TimeSpan.Zero);
        Assert.Equal("Server be/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 1 active and 1 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            HealthLog.Describe(HealthTransition.WentDown, "be", "s1", false, why, new(1, 1, 0, 0)));
        Assert.Equal("Server be/s2 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 0 active and 1 backup servers left. Running on backup. 0 sessions active, 0 requeued, 0 remaining in queue.",
            HealthLog.Describe(HealthTransition.WentDown, "be", "s2", false, why, new(0, 1, 0, 0)));
        Assert.Equal("Backup Server be/b1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            HealthLog.Describe(HealthTransition.WentDown, "be", "b1", true, why, new(0, 0, 0, 0)));
        Assert.Equal("backend 'be' has no server available!", HealthLog.NoServer("be"));
    }

    [Fact]
    public void Describe_L7States_MatchHaproxy()
    {
        Assert.Equal("Server be2/h1 is DOWN, reason: Layer7 wrong status, code: 500, info: \"Internal Server Error\", check duration: 4ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            HealthLog.Describe(HealthTransition.WentDown, "be2", "h1", false, new(CheckStatus.L7Sts, 500, "Internal Server Error", TimeSpan.FromMilliseconds(4)), new(1, 0, 0, 0)));
        Assert.Equal("Server be2/h1 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            HealthLog.Describe(HealthTransition.WentUp, "be2", "h1", false, new(CheckStatus.L7Ok, 200, null, TimeSpan.FromMilliseconds(1)), new(2, 0, 0, 0)));
        Assert.Equal("Server be2/h2 is stopping, reason: Layer7 check conditionally passed, code: 404, check duration: 4ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            HealthLog.Describe(HealthTransition.WentNolb, "be2", "h2", false, new(CheckStatus.L7OkC, 404, null, TimeSpan.FromMilliseconds(4)), new(1, 0, 0, 0)));
        Assert.Equal("Server be/s2 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            HealthLog.Describe(HealthTransition.WentUp, "be", "s2", false, new(CheckStatus.L4Ok, null, null, TimeSpan.Zero), new(1, 0, 0, 0)));
        Assert.Equal("Server be3/t1 is DOWN, reason: Layer7 timeout, check duration: 401ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            HealthLog.Describe(HealthTransition.WentDown, "be3", "t1", false, new(CheckStatus.L7Tout, null, null, TimeSpan.FromMilliseconds(401)), new(0, 0, 0, 0)));
        Assert.Equal("Server be2/h1 is DOWN, reason: Layer7 invalid response, info: \"HTTP content check did not match\", check duration: 1ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            HealthLog.Describe(HealthTransition.WentDown, "be2", "h1", false, new(CheckStatus.L7Rsp, 200, "HTTP content check did not match", TimeSpan.FromMilliseconds(1)), new(0, 0, 0, 0)));
    }

    [Fact]
    public void HealthLog_PrefixesLikeHaproxy()
    {
        var lines = new List<string>();
        var log = new HealthLog(lines.Add, 42);
        log.Warning("w");
        log.Alert("a");
        Assert.Equal(new[] { "[WARNING]  (42) : w", "[ALERT]    (42) : a" }, lines);
    }
}
