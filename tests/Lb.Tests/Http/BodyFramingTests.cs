using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

public class BodyFramingTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", BodyKind.None, 0)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n", BodyKind.ContentLength, 12)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", BodyKind.None, 0)]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", BodyKind.Chunked, 0)]
    [InlineData("POST / HTTP/1.0\r\n\r\n", BodyKind.None, 0)]
    public void ForRequest_Head_Framing(string raw, BodyKind kind, long length)
    {
        using var req = ParseRequest(raw);
        Assert.Equal(new BodyFraming(kind, length), BodyFraming.ForRequest(req));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", RequestMethod.Head, BodyKind.None)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", RequestMethod.Head, BodyKind.None)]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", RequestMethod.Get, BodyKind.None)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", RequestMethod.Get, BodyKind.None)]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", RequestMethod.Post, BodyKind.None)]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", RequestMethod.Get, BodyKind.Tunnel)]
    [InlineData("HTTP/1.1 200 Connection established\r\n\r\n", RequestMethod.Connect, BodyKind.Tunnel)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", RequestMethod.Get, BodyKind.ContentLength)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", RequestMethod.Get, BodyKind.Chunked)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", RequestMethod.Get, BodyKind.UntilClose)]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n", RequestMethod.Get, BodyKind.UntilClose)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", RequestMethod.Get, BodyKind.UntilClose)]
    public void ForResponse_Head_Framing(string raw, RequestMethod method, BodyKind kind)
    {
        using var res = ParseResponse(raw);
        Assert.Equal(kind, BodyFraming.ForResponse(res, method).Kind);
    }

    [Fact]
    public void FixedLengthBodyReader_SplitBlocks_StopsAtLength()
    {
        var r = new FixedLengthBodyReader(10);
        Assert.Equal(4, r.Advance(4));
        Assert.False(r.IsComplete);
        Assert.Equal(6, r.Advance(100));
        Assert.True(r.IsComplete);
        Assert.Equal(0, r.Advance(5));
    }

    [Fact]
    public void Pipeline_HeadBodyNextHead_EachBytesAttributed()
    {
        var data = B("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
        for (int cut = 0; cut <= data.Length; cut++)
        {
            var seen = new List<string>();
            var parser = HttpHeadParser.ForRequests();
            var chunked = new ChunkedBodyReader();
            FixedLengthBodyReader fixedBody = default;
            BodyKind body = BodyKind.None;
            foreach (var block in new[] { data.AsMemory(0, cut), data.AsMemory(cut) })
            {
                var span = block.Span;
                while (span.Length > 0)
                {
                    if (body == BodyKind.None)
                    {
                        var r = parser.Feed(span);
                        span = span[r.Consumed..];
                        if (!r.IsComplete) break;
                        using var req = parser.TakeRequest();
                        seen.Add(req.TargetString());
                        var f = BodyFraming.ForRequest(req);
                        body = f.Kind;
                        if (body == BodyKind.ContentLength) fixedBody = new FixedLengthBodyReader(f.Length);
                        if (body == BodyKind.Chunked) chunked.Reset();
                    }
                    else if (body == BodyKind.ContentLength)
                    {
                        span = span[fixedBody.Advance(span.Length)..];
                        if (fixedBody.IsComplete) body = BodyKind.None;
                    }
                    else
                    {
                        span = span[chunked.Advance(span)..];
                        Assert.False(chunked.IsError);
                        if (chunked.IsComplete) body = BodyKind.None;
                    }
                }
            }
            Assert.Equal(["/a", "/b", "/c"], seen);
        }
    }
}
