using System.Net;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Actors.Persistence;
using Lb.Config;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Persistence;

public sealed class StickSessionTests
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.7");

    private sealed class Registry(BackendRegistry registry)
    {
        public BackendHandle Backend => registry.Find("be")!;
        public IStickTable Table(string name = "be") => registry.StickTables.Find(name)!;
        public IReadOnlyList<string> Warnings => registry.Warnings;
        public ServerRuntime Server(string name) => Backend.Snapshot.FindServer(name)!;
    }

    private static Registry Load(string lines, IStickConditionCompiler? conditions = null)
    {
        var cfg = "defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n" +
                  "backend be\n    " + lines.Replace("\n", "\n    ") +
                  "\n    server s1 127.0.0.1:1001\n    server s2 127.0.0.1:1002\n    server s3 127.0.0.1:1003 non-stick\n" +
                  "backend other\n    stick-table type string size 10\n    server o1 127.0.0.1:1004\n";
        var loaded = ConfigLoader.LoadText(cfg, "t.cfg", _ => null);
        Assert.True(loaded.Success, string.Join("\n", loaded.Alerts));
        return new Registry(BackendRegistry.Build(loaded.Config!, conditions: conditions));
    }

    private static RequestHead Request(string headers = "", string target = "/")
    {
        var p = HttpHeadParser.ForRequests();
        p.Feed(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: h\r\n{headers}\r\n"));
        return p.TakeRequest();
    }

    private static ResponseHead Response(string headers = "")
    {
        var p = HttpHeadParser.ForResponses();
        p.Feed(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{headers}Content-Length: 0\r\n\r\n"));
        return p.TakeResponse();
    }

    /// <summary>One exchange: the request-side rules, then (when a server answers) the response-side ones.</summary>
    private static ServerRuntime? Exchange(StickSession s, BackendSnapshot snap, ServerRuntime? answered, string headers = "",
        string responseHeaders = "", ServerRuntime? assigned = null, IPAddress? source = null)
    {
        using var request = Request(headers);
        var picked = s.OnRequest(new StickContext { Source = source ?? Client, Request = request }, snap, assigned);
        using var response = Response(responseHeaders);
        s.OnResponse(new StickContext { Source = source ?? Client, Request = request, Response = response }, answered ?? picked);
        return picked;
    }

    [Fact]
    public void OnRequest_UnknownKey_BalancedThenStoredWithTheAnsweringServer()
    {
        var r = Load("stick-table type ip size 10\nstick on src");
        var s = new StickSession(r.Backend.Stick!);
        var snap = r.Backend.Snapshot;
        Assert.Null(Exchange(s, snap, r.Server("s2")));
        Assert.Same(r.Server("s2"), Exchange(s, snap, null));
        Assert.Null(Exchange(s, snap, r.Server("s1"), source: IPAddress.Parse("127.0.0.8")));
        Assert.Equal(2, r.Table().Count);
    }

    [Fact]
    public void OnRequest_AlreadyAssigned_KeepsItAndStoresIt()
    {
        var r = Load("stick-table type ip size 10\nstick on src");
        var s = new StickSession(r.Backend.Stick!);
        var snap = r.Backend.Snapshot;
        Exchange(s, snap, r.Server("s2"));
        // The persistence cookie chose s1: the entry does not override it, and now says s1.
        Assert.Same(r.Server("s1"), Exchange(s, snap, null, assigned: r.Server("s1")));
        Assert.Same(r.Server("s1"), Exchange(s, snap, null));
    }

    [Fact]
    public void OnRequest_EntryForUnusableServer_Balanced_UnlessOptionPersist()
    {
        foreach (var persist in new[] { false, true })
        {
            var r = Load((persist ? "option persist\n" : "") + "stick-table type ip size 10\nstick match src\nstick store-request src");
            var s = new StickSession(r.Backend.Stick!);
            Exchange(s, r.Backend.Snapshot, r.Server("s2"));
            var s2Down = SnapshotBuilder.Build(r.Backend.Snapshot.Config, r.Backend.Snapshot.All, x => x.Name != "s2");
            Assert.Equal(persist ? r.Server("s2") : null, Exchange(s, s2Down, r.Server("s1")));
        }
    }

    [Fact]
    public void OnRequest_TwoStoreRulesOnOneTable_OnlyTheFirstWithAKeyApplies()
    {
        var r = Load("stick-table type string size 10\nstick on hdr(X-User)\nstick on req.cook(SID)");
        var s = new StickSession(r.Backend.Stick!);
        var snap = r.Backend.Snapshot;
        Exchange(s, snap, r.Server("s2"), Cookie("SID=k"));            // stores k -> s2
        using (var rq = Request("X-User: u\r\n" + Cookie("SID=k")))
        {
            // The header rule stores first: the cookie rule, a store on the same table, is skipped entirely.
            Assert.Null(s.OnRequest(new StickContext { Source = Client, Request = rq }, snap, null));
            Assert.Equal(1, s.PendingStores);
            s.Commit(r.Server("s1"));
        }
        Assert.Same(r.Server("s1"), Exchange(s, snap, null, "X-User: u\r\n"));
        Assert.Same(r.Server("s2"), Exchange(s, snap, null, Cookie("SID=k")));
    }

    [Fact]
    public void OnResponse_StoreResponse_LearnsTheServersCookie()
    {
        var r = Load("stick-table type string size 10\nstick store-response res.cook(JSESSIONID)\nstick match req.cook(JSESSIONID)");
        var s = new StickSession(r.Backend.Stick!);
        var snap = r.Backend.Snapshot;
        Assert.Null(Exchange(s, snap, r.Server("s2"), responseHeaders: "Set-Cookie: JSESSIONID=xyz; Path=/\r\n"));
        Assert.Same(r.Server("s2"), Exchange(s, snap, null, Cookie("JSESSIONID=xyz")));
        Assert.Null(Exchange(s, snap, r.Server("s1"), Cookie("JSESSIONID=other")));
    }

    [Fact]
    public void Commit_NonStickServer_StoresNothing()
    {
        var r = Load("stick-table type ip size 10\nstick on src");
        var s = new StickSession(r.Backend.Stick!);
        Exchange(s, r.Backend.Snapshot, r.Server("s3"));
        Assert.Equal(0, r.Table().Count);
    }

    [Fact]
    public void Commit_NoServerAnswered_PendingKeysDropped()
    {
        var r = Load("stick-table type ip size 10\nstick on src");
        var s = new StickSession(r.Backend.Stick!);
        using var rq = Request();
        s.OnRequest(new StickContext { Source = Client, Request = rq }, r.Backend.Snapshot, null);
        Assert.Equal(1, s.PendingStores);
        s.Commit(null);
        Assert.Equal(0, s.PendingStores);
        Assert.Equal(0, r.Table().Count);
    }

    [Fact]
    public void OnConnected_TcpStoreResponseOnSrc_StoredWithTheConnectedServer()
    {
        var r = Load("stick-table type ip size 10\nstick match src\nstick store-response src");
        var s = new StickSession(r.Backend.Stick!);
        Assert.Null(s.OnRequest(new StickContext { Source = Client }, r.Backend.Snapshot, null));
        Assert.Equal(0, s.PendingStores);
        s.OnConnected(r.Server("s2"));
        Assert.Same(r.Server("s2"), s.OnRequest(new StickContext { Source = Client }, r.Backend.Snapshot, null));
    }

    [Fact]
    public void OnRequest_TableOfAnotherProxy_Used()
    {
        var r = Load("stick on req.cook(SID) table other");
        var s = new StickSession(r.Backend.Stick!);
        Exchange(s, r.Backend.Snapshot, r.Server("s2"), Cookie("SID=q"));
        Assert.Equal(1, r.Table("other").Count);
        Assert.Same(r.Server("s2"), Exchange(s, r.Backend.Snapshot, null, Cookie("SID=q")));
    }

    private sealed class FixedCondition(bool holds) : IStickCondition
    {
        public bool Holds(in StickContext context) => holds;
    }

    private sealed class Compiler : IStickConditionCompiler
    {
        public List<(string Condition, bool OnResponse)> Asked { get; } = new();

        public IStickCondition? Compile(Proxy proxy, Condition condition, bool onResponse)
        {
            Asked.Add((condition.ToString(), onResponse));
            var acl = condition.Terms.First().Name;
            return acl switch { "yes" => new FixedCondition(!condition.Unless), "no" => new FixedCondition(condition.Unless), _ => null };
        }
    }

    [Fact]
    public void Build_Conditions_CompiledThroughTheSeam_UnknownOnesLeaveTheRuleOut()
    {
        var compiler = new Compiler();
        var r = Load("acl yes always_true\nacl no always_false\nacl odd always_true\nstick-table type ip size 10\n" +
                     "stick match src if no\nstick on src if odd\nstick store-request src unless no\nstick store-response src if yes", compiler);
        Assert.Equal(4, compiler.Asked.Count);
        Assert.Equal([false, false, false, true], compiler.Asked.Select(a => a.OnResponse));
        Assert.Contains(r.Warnings, w => w.Contains("stick on src") && w.Contains("cannot be evaluated"));
        var s = new StickSession(r.Backend.Stick!);
        var snap = r.Backend.Snapshot;
        Exchange(s, snap, r.Server("s2"));
        // Stored by the unconditioned-in-effect store rules, but the only match rule never holds.
        Assert.Equal(1, r.Table().Count);
        Assert.Null(Exchange(s, snap, r.Server("s1")));
    }

    [Fact]
    public void Build_WithoutCompiler_ConditionedRulesLeftOut_OthersKept()
    {
        var r = Load("acl a always_true\nstick-table type ip size 10\nstick on src if a\nstick match src");
        Assert.Single(r.Warnings);
        Assert.Single(r.Backend.Stick!.RequestRules);
    }

    [Fact]
    public void Build_UnsupportedFetchOrDirection_Warns()
    {
        var r = Load("stick-table type ip size 10\nstick on src,ipmask(24)\nstick store-response req.cook(x)\nstick on src");
        Assert.Equal(2, r.Warnings.Count);
        Assert.All(r.Warnings, w => Assert.Contains("is ignored", w));
    }

    [Fact]
    public void Build_UnknownStoreType_Warns()
    {
        var r = Load("stick-table type ip size 10 store gpc(2),conn_cnt\nstick on src");
        Assert.Contains(r.Warnings, w => w.Contains("'gpc(2)'"));
        Assert.True(r.Table().Definition.Data.Has(StickDataType.ConnCnt));
    }

    private static string Cookie(string c) => $"Cookie: {c}\r\n";
}
