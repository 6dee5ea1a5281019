using System.Net;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Actors.Persistence;
using Lb.Config;
using Xunit;

namespace Lb.Tests.Persistence;

public sealed class StickAllocationTests
{
    [Fact]
    public void OnRequestAndOnResponse_KnownKeys_AllocateNothing()
    {
        var cfg = "defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\n" +
                  "backend be\n    stick-table type string len 32 size 100 expire 30s\n    stick on req.cook(SID)\n" +
                  "    stick on src table ips\n    stick store-response res.cook(SID)\n" +
                  "    server s1 127.0.0.1:1001\n    server s2 127.0.0.1:1002\n" +
                  "backend ips\n    stick-table type ip size 100 expire 30s\n";
        var registry = BackendRegistry.Build(ConfigLoader.LoadText(cfg, "t.cfg", _ => null).Config!);
        var backend = registry.Find("be")!;
        var server = backend.Snapshot.FindServer("s2")!;
        var session = new StickSession(backend.Stick!);
        var source = IPAddress.Parse("127.0.0.3");
        var rp = HttpHeadParser.ForRequests();
        rp.Feed(Encoding.ASCII.GetBytes("GET /a HTTP/1.1\r\nHost: h\r\nCookie: x=1; SID=session-42\r\n\r\n"));
        using var request = rp.TakeRequest();
        var sp = HttpHeadParser.ForResponses();
        sp.Feed(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nSet-Cookie: SID=session-42; Path=/\r\nContent-Length: 0\r\n\r\n"));
        using var response = sp.TakeResponse();

        ServerRuntime? Once()
        {
            var snap = backend.Snapshot;
            var picked = session.OnRequest(new StickContext { Source = source, Request = request }, snap, null);
            session.OnResponse(new StickContext { Source = source, Request = request, Response = response }, server);
            return picked;
        }

        Once(); // the keys enter their tables here
        for (int i = 0; i < 100; i++) Assert.Same(server, Once());
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++) Once();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, registry.StickTables.Find("be")!.Count);
        Assert.Equal(1, registry.StickTables.Find("ips")!.Count);
    }
}
