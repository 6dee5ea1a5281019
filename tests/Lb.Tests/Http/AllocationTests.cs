using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

public class AllocationTests
{
    [Fact]
    public void Feed_TypicalRequest_AllocatesOnlyTheHeadObjects()
    {
        var data = B("GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8\r\nAccept: */*\r\n"
                   + "Accept-Encoding: gzip\r\nConnection: keep-alive\r\nCookie: a=b\r\n\r\n");
        var parser = HttpHeadParser.ForRequests();
        void ParseOnce()
        {
            var r = parser.Feed(data);
            using var req = parser.TakeRequest();
            _ = req.TryGetValue("cookie", out _);
            _ = ConnectionSemantics.WantsKeepAlive(req);
            _ = BodyFraming.ForRequest(req);
        }
        for (int i = 0; i < 100; i++) ParseOnce();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) ParseOnce();
        long perRequest = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
        // the RequestHead object and its header index array; the head bytes come from the pool.
        Assert.True(perRequest < 400, $"{perRequest} bytes per request");
    }

    [Fact]
    public void Advance_ChunkedBody_NoAllocation()
    {
        var body = B("5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n");
        var reader = new ChunkedBodyReader();
        reader.Advance(body);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) { reader.Reset(); reader.Advance(body); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
