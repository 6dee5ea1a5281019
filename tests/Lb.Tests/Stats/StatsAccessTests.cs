using System.Net;
using System.Text;
using Lb.Actors.Stats;
using Lb.Config;
using Xunit;

namespace Lb.Tests.Stats;

public sealed class StatsAccessTests
{
    private static string Basic(string account) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(account));

    [Fact]
    public void BasicAuth_SeveralUsers_EachOneIsAccepted()
    {
        var auth = new BasicAuth(["admin:secret", "ops:pw2"]);
        Assert.True(auth.Allows(Basic("admin:secret")));
        Assert.True(auth.Allows(Basic("ops:pw2")));
        Assert.True(auth.Allows("basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:pw2"))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Basic !!!not-base64")]
    public void BasicAuth_MissingOrMalformedHeader_IsRefused(string? header) =>
        Assert.False(new BasicAuth(["admin:secret"]).Allows(header));

    [Theory]
    [InlineData("admin:wrong")]
    [InlineData("admin:secre")]
    [InlineData("admin:secret2")]
    [InlineData("ops:secret")]
    [InlineData("admin")]
    public void BasicAuth_WrongAccount_IsRefused(string account) =>
        Assert.False(new BasicAuth(["admin:secret", "ops:pw2"]).Allows(Basic(account)));

    [Fact]
    public void BasicAuth_NoAccountConfigured_AllowsEveryone() => Assert.True(new BasicAuth([]).Allows(null));

    private static Lb.Config.Model.Proxy Proxy(string lines)
    {
        var cfg = "defaults\n    mode http\n    timeout client 1s\n    timeout server 1s\n    timeout connect 1s\n\nlisten st\n    bind 127.0.0.1:1\n" + lines + "\n";
        var loaded = ConfigLoader.LoadText(cfg, "test.cfg", _ => null);
        Assert.True(loaded.Success, string.Join("\n", loaded.Alerts));
        return loaded.Config!.FindProxy("st")!;
    }

    [Theory]
    [InlineData("    stats admin if TRUE", "10.1.2.3", "", true)]
    [InlineData("    stats admin if FALSE", "127.0.0.1", "", false)]
    [InlineData("    stats admin if LOCALHOST", "127.0.0.1", "", true)]
    [InlineData("    stats admin if LOCALHOST", "10.1.2.3", "", false)]
    [InlineData("    stats admin unless LOCALHOST", "10.1.2.3", "", true)]
    [InlineData("    acl net src 10.0.0.0/8 192.168.1.5\n    stats admin if net", "10.200.0.1", "", true)]
    [InlineData("    acl net src 10.0.0.0/8 192.168.1.5\n    stats admin if net", "192.168.1.6", "", false)]
    [InlineData("    stats admin if { src 127.0.0.0/8 }", "127.9.9.9", "", true)]
    [InlineData("    acl h hdr(x-admin) -m found\n    stats admin if h", "127.0.0.1", "", false)]
    [InlineData("    acl h hdr(x-admin) -m found\n    stats admin if h", "127.0.0.1", "X-Admin: 1\r\n", true)]
    [InlineData("    stats admin if { path_beg /st } LOCALHOST", "127.0.0.1", "", true)]
    [InlineData("    stats admin if FALSE\n    stats admin if TRUE", "10.1.2.3", "", true)]
    [InlineData("    stats enable", "127.0.0.1", "", false)]
    public void AdminGate_Condition_EvaluatedByTheAclEngine(string lines, string client, string headers, bool allowed)
    {
        var gate = new AdminGate(Proxy("    stats uri /st\n" + lines));
        using var request = Lb.Tests.Http.HttpTestData.ParseRequest($"GET /st HTTP/1.1\r\nHost: t\r\n{headers}\r\n");
        var ctx = new Lb.Actors.Rules.RuleContext(new IPEndPoint(IPAddress.Parse(client), 1234), null, request);
        Assert.Equal(allowed, gate.Configured && gate.Allows(ctx));
    }

    [Theory]
    [InlineData("", StatsFormat.Html, false, null)]
    [InlineData(";csv", StatsFormat.Csv, false, null)]
    [InlineData(";csv;norefresh", StatsFormat.Csv, true, null)]
    [InlineData(";json;norefresh", StatsFormat.Json, true, null)]
    [InlineData("?scope=app", StatsFormat.Html, false, "app")]
    [InlineData(";up?scope=app%20x", StatsFormat.Html, false, "app x")]
    public void StatsRequest_Suffix_IsUnderstood(string rest, StatsFormat format, bool noRefresh, string? scope)
    {
        var r = StatsRequest.Parse(rest);
        Assert.Equal(format, r.Format);
        Assert.Equal(noRefresh, r.NoRefresh);
        Assert.Equal(scope, r.Scope);
    }

    [Fact]
    public void StatsRequest_ActionStatus_IsRead() => Assert.Equal("DONE", StatsRequest.Parse(";st=DONE").ActionStatus);

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.0/8", true)]
    [InlineData("10.0.0.1", "10.0.0.0/255.0.0.0", true)]
    [InlineData("11.0.0.1", "10.0.0.0/8", false)]
    [InlineData("192.168.1.5", "192.168.1.5", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("::ffff:10.1.1.1", "10.0.0.0/8", true)]
    [InlineData("10.1.1.1", "nonsense", false)]
    public void InNetwork_Pattern_Matches(string address, string pattern, bool expected) =>
        Assert.Equal(expected, AdminGate.InNetwork(IPAddress.Parse(address), pattern));

    [Fact]
    public void ScopesInConfig_AreParsed() =>
        Assert.Equal([".", "bk"], Proxy("    stats uri /st\n    stats scope .\n    stats scope bk").Stats.Scopes.ToArray());
}
