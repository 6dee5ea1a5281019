using System.Net;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Actors.Persistence;
using Lb.Actors.Rules;
using Lb.Config;
using Xunit;

namespace Lb.Tests.Rules;

/// <summary>Stick rules with 'if|unless' conditions, compiled by the ACL engine (StickConditionCompiler).</summary>
public sealed class StickConditionTests
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.9");

    private static (BackendRegistry Registry, List<string> Warnings) Load(string lines)
    {
        var cfg = "defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n" +
                  "backend be\n    " + lines.Replace("\n", "\n    ") +
                  "\n    server s1 127.0.0.1:1001\n    server s2 127.0.0.1:1002\n";
        var loaded = ConfigLoader.LoadText(cfg, "t.cfg", _ => null);
        Assert.True(loaded.Success, string.Join("\n", loaded.Alerts));
        var warnings = new List<string>();
        return (BackendRegistry.Build(loaded.Config!, _ => null, new StickConditionCompiler(warnings)), warnings);
    }

    private static ServerRuntime? Exchange(StickSession s, BackendHandle be, string path, ServerRuntime answered)
    {
        var p = HttpHeadParser.ForRequests();
        p.Feed(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: h\r\n\r\n"));
        using var request = p.TakeRequest();
        var picked = s.OnRequest(new StickContext { Source = Client, Request = request }, be.Snapshot, null);
        var r = HttpHeadParser.ForResponses();
        r.Feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        using var response = r.TakeResponse();
        s.OnResponse(new StickContext { Source = Client, Request = request, Response = response }, picked ?? answered);
        return picked;
    }

    [Fact]
    public void StoreRequest_WithPathCondition_StoresOnlyWhenTheConditionHolds()
    {
        var (registry, warnings) = Load("stick-table type ip size 10\nstick match src\nstick store-request src if { path_beg /login }");
        Assert.Empty(warnings);
        var be = registry.Find("be")!;
        Assert.Empty(registry.Warnings);
        var s2 = be.Snapshot.FindServer("s2")!;

        Assert.Null(Exchange(new StickSession(be.Stick!), be, "/other", s2));   // not stored: condition false
        Assert.Null(Exchange(new StickSession(be.Stick!), be, "/other", s2));
        Assert.Null(Exchange(new StickSession(be.Stick!), be, "/login", s2));   // stored now
        Assert.Same(s2, Exchange(new StickSession(be.Stick!), be, "/other", s2));
    }

    [Fact]
    public void Match_WithUnlessCondition_SkipsTheLookupWhenTheConditionHolds()
    {
        var (registry, _) = Load("stick-table type ip size 10\nstick store-request src\nstick match src unless { path_beg /static }");
        var be = registry.Find("be")!;
        var s1 = be.Snapshot.FindServer("s1")!;
        Exchange(new StickSession(be.Stick!), be, "/", s1);
        Assert.Same(s1, Exchange(new StickSession(be.Stick!), be, "/app", s1));
        Assert.Null(Exchange(new StickSession(be.Stick!), be, "/static/a.css", s1));
    }
}
