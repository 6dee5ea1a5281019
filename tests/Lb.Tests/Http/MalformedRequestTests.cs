using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

/// <summary>Every case was sent to haproxy 2.6.12 on 127.0.0.1; the expected status is its answer
/// (0 = forwarded to the server).</summary>
public class MalformedRequestTests
{
    private const string R = "GET / HTTP/1.1\r\nHost: x\r\n";

    /// <summary>BAD_REQUESTS of the acceptance suite (scenarios.py, error_400).</summary>
    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")]
    public void Feed_AcceptanceBadRequest_400(string raw) => Assert.Equal(400, RequestStatus(raw));

    [Theory]
    // Content-Length
    [InlineData(R + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n", 0)]
    [InlineData(R + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400)]
    [InlineData(R + "Content-Length: 5, 5\r\n\r\n", 0)]
    [InlineData(R + "Content-Length: 5, 6\r\n\r\n", 400)]
    [InlineData(R + "Content-Length: -1\r\n\r\n", 400)]
    [InlineData(R + "Content-Length: +5\r\n\r\n", 400)]
    [InlineData(R + "Content-Length: \r\n\r\n", 400)]
    [InlineData(R + "Content-Length: 5,\r\n\r\n", 400)]
    [InlineData(R + "Content-Length: 5,,5\r\n\r\n", 400)]
    [InlineData(R + "Content-Length: 05\r\n\r\n", 0)]
    [InlineData(R + "Content-Length: 5 \r\n\r\n", 0)]
    [InlineData(R + "Content-Length: 99999999999999999999999\r\n\r\n", 400)]
    // Transfer-Encoding
    [InlineData(R + "Transfer-Encoding: gzip\r\n\r\n", 400)]
    [InlineData(R + "Transfer-Encoding: identity\r\n\r\n", 400)]
    [InlineData(R + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400)]
    [InlineData(R + "Transfer-Encoding: gzip, chunked\r\n\r\n", 422)]
    [InlineData(R + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", 422)]
    [InlineData(R + "Transfer-Encoding: ,chunked\r\n\r\n", 422)]
    [InlineData(R + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData(R + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400)]
    [InlineData(R + "Transfer-Encoding: CHUNKED\r\n\r\n", 0)]
    [InlineData(R + "Transfer-Encoding:chunked\r\n\r\n", 0)]
    [InlineData(R + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 0)]
    [InlineData("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 413)]
    [InlineData("HEAD / HTTP/1.0\r\nContent-Length: 3\r\n\r\n", 413)]
    [InlineData("DELETE / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 413)]
    [InlineData("GET / HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 0)]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 0)]
    [InlineData("PUT / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 0)]
    [InlineData("CONNECT / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n", 0)]
    // header lines
    [InlineData(R + "X-Folded: a\r\n b\r\n\r\n", 0)]
    [InlineData(R + "X-Folded: a\r\n\tb\r\n\r\n", 0)]
    [InlineData(R + "Bad Name: v\r\n\r\n", 400)]
    [InlineData(R + "Bad\"Name: v\r\n\r\n", 400)]
    [InlineData(R + "Bad(Name): v\r\n\r\n", 400)]
    [InlineData(R + "Name : v\r\n\r\n", 400)]
    [InlineData(R + ": v\r\n\r\n", 400)]
    [InlineData(R + "X-Empty:\r\n\r\n", 0)]
    [InlineData(R + "X-Ctl: a\u0001b\r\n\r\n", 0)]
    [InlineData(R + "X-Ctl: a\u007fb\r\n\r\n", 0)]
    [InlineData(R + "X-Hi: a\u00ffb\r\n\r\n", 0)]
    [InlineData(R + "X-Nul: a\u0000b\r\n\r\n", 0)]
    [InlineData(R + "X-Cr: a\rb\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n X: y\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\nHost: x\n\n", 0)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\n\r\n", 0)]
    // request line
    [InlineData("GET /\r\n\r\n", 400)]
    [InlineData("GET HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.2\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET / HTTP/0.9\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET / http/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.10\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/11\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400)]
    [InlineData("get / HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET /  HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET\t/\tHTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData(" GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /a\u007fb HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET /a\u00ffb HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /a\"b HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET /a{|}b HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET http://x/p?q HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("GET http://y/p?q HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 0)]
    [InlineData("CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 0)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", 0)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", 0)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n", 0)]
    public void Feed_CaseCheckedOnHaproxy_SameAnswer(string raw, int expected) => Assert.Equal(expected, RequestStatus(raw));

    [Fact]
    public void Feed_MalformedSplitAtEveryByte_StillRejected()
    {
        var data = B("GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
        for (int cut = 0; cut <= data.Length; cut++)
        {
            var (r, _) = FeedSplit(HttpHeadParser.ForRequests(), data, cut);
            Assert.Equal(400, r.ErrorStatus);
        }
    }

    [Fact]
    public void Feed_DuplicateContentLength_MergedIntoOne()
    {
        using var req = ParseRequest(R + "Content-Length: 5\r\nContent-Length: 5, 5\r\n\r\n");
        Assert.Equal(5, req.ContentLength);
        Assert.Equal(R + "Content-Length: 5\r\n\r\n", req.ToString());
    }

    [Fact]
    public void Feed_ChunkedWithContentLength_ContentLengthRemoved()
    {
        using var req = ParseRequest(R + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n");
        Assert.True(req.IsChunked);
        Assert.Null(req.ContentLength);
        Assert.False(req.Contains("content-length"));
    }
}
