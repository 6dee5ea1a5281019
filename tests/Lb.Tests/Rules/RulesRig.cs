using System.Net;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Actors.Rules;
using Lb.Actors.Rules.Actions;
using Lb.Config;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Rules;

/// <summary>
/// A configuration loaded in memory (no sockets): the frontend's compiled rules, and helpers to
/// run a raw request (and response) head through a rule session as the HTTP stage does.
/// </summary>
internal sealed class RulesRig
{
    private RulesRig(FrontendRuntime frontend, BackendRegistry backends, IReadOnlyList<string> warnings)
    {
        Frontend = frontend;
        Backends = backends;
        Warnings = warnings;
    }

    public FrontendRuntime Frontend { get; }
    public BackendRegistry Backends { get; }

    /// <summary>The frontend's and the backends' rule warnings.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static RulesRig Load(string cfg, string frontend = "fe")
    {
        var loaded = ConfigLoader.LoadText(cfg);
        Assert.True(loaded.Config != null, "config rejected: " + string.Join("\n", loaded.Alerts));
        var backends = BackendRegistry.Build(loaded.Config!, _ => null);
        var fe = new FrontendRuntime(loaded.Config!.FindProxy(frontend)!, backends);
        return new RulesRig(fe, backends, [.. RuleBook.For(backends).Warnings, .. fe.Rules.Warnings]);
    }

    /// <summary>"defaults mode http" + the frontend lines + backends b1..b4 (plus extra sections).</summary>
    public static RulesRig ForFrontend(string frontendLines, string more = "") => Load($"""
        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        frontend fe
            bind 127.0.0.1:8080
        {Indent(frontendLines)}
        backend b1
            server s1 127.0.0.1:9001
        backend b2
            server s2 127.0.0.1:9002
        backend b3
            server s3 127.0.0.1:9003
        backend b4
            server s4 127.0.0.1:9004 backup
        {more}
        """);

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(l => "    " + l.Trim()));

    public HttpRuleSession Session(string client = "10.1.2.3:40000", string local = "127.0.0.1:8080") =>
        Frontend.Rules.NewSession(Frontend, IPEndPoint.Parse(client), IPEndPoint.Parse(local));

    /// <summary>Runs the request rules: the backend name, or "reply:" + the response text, or the result.</summary>
    public Outcome Run(string rawRequest, string client = "10.1.2.3:40000", ConnectionHeader connection = ConnectionHeader.None)
    {
        var session = Session(client);
        var request = ParseRequest(rawRequest);
        var r = session.OnRequest(request, connection);
        return new Outcome(r, session.Backend?.Name, session.Outcome.Reply is { } b ? Encoding.Latin1.GetString(b) : null, request, session);
    }

    public static string Get(string target, string headers = "") => $"GET {target} HTTP/1.1\r\nHost: www.example.com\r\n{headers}\r\n";

    public static string Req(string host, string target, string headers = "") => $"GET {target} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n";

    internal sealed record Outcome(RuleResult Result, string? Backend, string? Reply, RequestHead Request, HttpRuleSession Session)
    {
        public string RequestText => Request.ToString();
    }
}
