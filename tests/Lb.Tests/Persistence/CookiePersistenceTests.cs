using System.Collections.Immutable;
using System.Net;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Actors.Persistence;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Persistence;

public sealed class CookiePersistenceTests
{
    private static readonly ImmutableArray<ServerRuntime> Servers =
    [
        new(new Server { Name = "s1", Cookie = "c1" }, "be", 1, new IPEndPoint(IPAddress.Loopback, 1001)),
        new(new Server { Name = "s2", Cookie = "c2" }, "be", 2, new IPEndPoint(IPAddress.Loopback, 1002)),
    ];

    private static BackendSnapshot Snapshot(CookieSettings c, Func<ServerRuntime, bool>? usable = null) =>
        SnapshotBuilder.Build(new Proxy { Name = "be", Cookie = c }, Servers, usable ?? (_ => true));

    private static RequestHead Request(string cookieHeader)
    {
        var p = HttpHeadParser.ForRequests();
        p.Feed(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: h\r\n{(cookieHeader.Length > 0 ? $"Cookie: {cookieHeader}\r\n" : "")}\r\n"));
        return p.TakeRequest();
    }

    private static ResponseHead Response(string extra = "")
    {
        var p = HttpHeadParser.ForResponses();
        p.Feed(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{extra}Content-Length: 0\r\n\r\n"));
        return p.TakeResponse();
    }

    [Theory]
    [InlineData("SERVERID=c2", null)]
    [InlineData("SERVERID=c2; a=1", "a=1")]
    [InlineData("a=1; SERVERID=c2", "a=1")]
    [InlineData("a=1;SERVERID=c2;b=2", "a=1; b=2")]
    public void InsertIndirect_ValidCookie_DirectAndHidden(string header, string? seen)
    {
        var c = new CookieSettings { Name = "SERVERID", Mode = CookieMode.Insert, Indirect = true };
        var request = Request(header);
        var server = new CookiePersistence(c).Direct(request, Snapshot(c), out var verdict);
        Assert.Equal("s2", server?.Name);
        Assert.Equal(CookieVerdict.Valid, verdict);
        Assert.Equal(seen, request.GetValue("cookie"));
    }

    [Fact]
    public void Insert_DownOrUnknownServer_BalancedAndSetCookie()
    {
        var c = new CookieSettings { Name = "SERVERID", Mode = CookieMode.Insert, NoCache = true };
        var p = new CookiePersistence(c);
        Assert.Null(p.Direct(Request("SERVERID=c2"), Snapshot(c, s => s.Name != "s2"), out var down));
        Assert.Equal(CookieVerdict.Down, down);
        Assert.Null(p.Direct(Request("SERVERID=zz"), Snapshot(c), out var unknown));
        Assert.Equal(CookieVerdict.Invalid, unknown);

        var plain = Response();
        p.Respond(Request(""), plain, Servers[0], CookieVerdict.None);
        Assert.Equal("SERVERID=c1; path=/", plain.GetValue("set-cookie"));
        Assert.Null(plain.GetValue("cache-control"));
        var cacheable = Response("Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n");
        p.Respond(Request(""), cacheable, Servers[0], CookieVerdict.Invalid);
        Assert.Equal("private", cacheable.GetValue("cache-control"));
        var pinned = Response();
        p.Respond(Request(""), pinned, Servers[0], CookieVerdict.Valid);
        Assert.Null(pinned.GetValue("set-cookie"));
    }

    [Fact]
    public void Prefix_StripsOnRequestAddsOnResponse()
    {
        var c = new CookieSettings { Name = "JSESSIONID", Mode = CookieMode.Prefix };
        var p = new CookiePersistence(c);
        var request = Request("JSESSIONID=c1~abc");
        Assert.Equal("s1", p.Direct(request, Snapshot(c), out _)?.Name);
        Assert.Equal("JSESSIONID=abc", request.GetValue("cookie"));
        var response = Response("Set-Cookie: JSESSIONID=xyz; Path=/app\r\n");
        p.Respond(request, response, Servers[1], CookieVerdict.Valid);
        Assert.Equal("JSESSIONID=c2~xyz; Path=/app", response.GetValue("set-cookie"));
    }
}
