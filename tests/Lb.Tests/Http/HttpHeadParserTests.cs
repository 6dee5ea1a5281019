using Xunit;
using System.Buffers;
using Lb.Actors.Http;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

public class HttpHeadParserTests
{
    public static readonly string[] Samples =
    [
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /submit?a=1 HTTP/1.0\r\nHost: example.com\r\nContent-Length: 5\r\nX-Empty:\r\n\r\n",
        "GET http://x/p?q HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\nHost: x\nX-Folded: a\n b\n\n",
        "\r\nGET  /a\tHTTP/1.1\r\nHost: x\r\n\r\n",
        "PUT /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
    ];

    [Fact]
    public void Feed_SimpleRequest_ParsesStartLineAndHeaders()
    {
        using var req = ParseRequest("GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept:  text/html  \r\n\r\n");
        Assert.Equal(RequestMethod.Get, req.Method);
        Assert.Equal("GET", req.MethodString());
        Assert.Equal("/index.html?x=1", req.TargetString());
        Assert.Equal((1, 1), (req.VersionMajor, req.VersionMinor));
        Assert.True(req.IsHttp11);
        Assert.Equal(2, req.HeaderCount);
        Assert.Equal("example.com", req.GetValue("HOST"));
        Assert.Equal("text/html", req.GetValue("accept"));
        Assert.False(req.IsModified);
    }

    [Fact]
    public void Feed_HeadThenBody_ConsumedStopsAtEndOfHead()
    {
        var data = B("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET");
        var p = HttpHeadParser.ForRequests();
        var r = p.Feed(data);
        Assert.True(r.IsComplete);
        Assert.Equal(data.Length - 8, r.Consumed);
        using var req = p.TakeRequest();
        Assert.Equal(5, req.ContentLength);
        Assert.Equal(r.Consumed, req.HeadLength);
    }

    [Fact]
    public void Feed_EverySplitPosition_SameResult()
    {
        foreach (var sample in Samples)
        {
            var data = B(sample + "BODY");
            var whole = HttpHeadParser.ForRequests();
            var expected = whole.Feed(data);
            Assert.True(expected.IsComplete, sample);
            using var reference = whole.TakeRequest();
            var expectedBytes = reference.ToArray();
            for (int cut = 0; cut <= data.Length; cut++)
            {
                var p = HttpHeadParser.ForRequests();
                var (r, consumed) = FeedSplit(p, data, cut);
                Assert.True(r.IsComplete, $"cut {cut} of {sample}");
                Assert.Equal(expected.Consumed, consumed);
                using var req = p.TakeRequest();
                Assert.Equal(expectedBytes, req.ToArray());
            }
        }
    }

    [Fact]
    public void Feed_OneByteAtATime_Completes()
    {
        var data = B(Samples[1]);
        var p = HttpHeadParser.ForRequests();
        HeadParseResult r = default;
        for (int i = 0; i < data.Length; i++)
        {
            r = p.Feed(data.AsSpan(i, 1));
            if (i < data.Length - 1) Assert.Equal(HeadParseStatus.NeedMore, r.Status);
        }
        Assert.True(r.IsComplete);
        Assert.Equal(1, r.Consumed);
        using var req = p.TakeRequest();
        Assert.Equal("example.com", req.GetValue("Host"));
    }

    [Fact]
    public void Feed_EveryTwoSplitPositions_Completes()
    {
        var data = B(Samples[4]);
        for (int a = 0; a <= data.Length; a++)
            for (int b = a; b <= data.Length; b++)
            {
                var p = HttpHeadParser.ForRequests();
                var (r, _) = FeedSplit(p, data, a, b);
                Assert.True(r.IsComplete, $"{a},{b}");
                using var req = p.TakeRequest();
                Assert.Equal("a  b", req.GetValue("x-folded"));   // bare LF fold: one space for the LF
            }
    }

    [Fact]
    public void Feed_Sequence_StopsAtEndOfHead()
    {
        var first = new Segment(B("GET / HTTP/1.1\r\nHo"));
        var last = first.Append(B("st: x\r\n\r\nNEXT"));
        var seq = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        var p = HttpHeadParser.ForRequests();
        var r = p.Feed(seq);
        Assert.True(r.IsComplete);
        Assert.Equal(seq.Length - 4, r.Consumed);
    }

    [Fact]
    public void Feed_PipelinedRequests_ParsesOneAfterTheOther()
    {
        var data = B("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\n");
        var p = HttpHeadParser.ForRequests();
        int offset = 0;
        var targets = new List<string>();
        while (true)
        {
            var r = p.Feed(data.AsSpan(offset));
            offset += r.Consumed;
            if (!r.IsComplete) { Assert.Equal(HeadParseStatus.NeedMore, r.Status); break; }
            using var req = p.TakeRequest();
            targets.Add(req.TargetString());
        }
        Assert.Equal(["/1", "/2"], targets);
        Assert.Equal(data.Length, offset);
        var rest = p.Feed(B("Host: x\r\n\r\n"));
        Assert.True(rest.IsComplete);
        Assert.Equal("/3", p.TakeRequest().TargetString());
    }

    [Fact]
    public void Feed_Response_ParsesStatusLine()
    {
        using var res = ParseResponse("HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\n\r\n");
        Assert.Equal(404, res.StatusCode);
        Assert.Equal("Not Found", res.ReasonString());
        Assert.False(res.IsHttp11);
        Assert.Equal(3, res.ContentLength);
    }

    [Fact]
    public void Feed_ResponseWithoutReason_Accepted()
    {
        using var res = ParseResponse("HTTP/1.1 204\r\n\r\n");
        Assert.Equal(204, res.StatusCode);
        Assert.Equal("", res.ReasonString());
    }

    [Theory]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Header\r\n\r\n")]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    public void Feed_MalformedResponse_502(string raw)
    {
        var r = HttpHeadParser.ForResponses().Feed(B(raw));
        Assert.True(r.IsError);
        Assert.Equal(502, r.ErrorStatus);
    }

    [Theory]
    [InlineData("GET / HTTP/1.2\r\n\r\n", 1, 2, "GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/2.0\r\n\r\n", 2, 0, "GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/0.9\r\n\r\n", 0, 9, "GET / HTTP/0.9\r\n\r\n")]
    [InlineData("GET  /  HTTP/1.1\nHost: x\n\n", 1, 1, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    public void Feed_LenientForms_ForwardedAsHaproxyDoes(string raw, int major, int minor, string forwarded)
    {
        using var req = ParseRequest(raw);
        Assert.Equal((major, minor), (req.VersionMajor, req.VersionMinor));
        Assert.Equal(forwarded, req.ToString());
    }

    [Fact]
    public void Feed_ObsFold_UnfoldedWithSpacesLikeHaproxy()
    {
        // haproxy forwarded "x-folded: a   b" (CR and LF replaced by spaces).
        using var req = ParseRequest("GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n");
        Assert.Equal("a   b", req.GetValue("X-Folded"));
        Assert.Equal("GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a   b\r\n\r\n", req.ToString());
    }

    [Fact]
    public void Feed_AbsoluteForm_ExposesAuthorityAndPath()
    {
        using var req = ParseRequest("GET http://x:8080/p?q HTTP/1.1\r\nHost: x:8080\r\n\r\n");
        Assert.Equal("x:8080", S(req.Authority));
        Assert.Equal("/p?q", S(req.PathAndQuery));
    }

    [Fact]
    public void Feed_AsteriskForm_Accepted()
    {
        using var req = ParseRequest("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(RequestMethod.Options, req.Method);
        Assert.Equal("*", req.TargetString());
    }

    [Fact]
    public void Reset_AfterPartialHead_StartsOver()
    {
        var p = HttpHeadParser.ForRequests();
        p.Feed(B("GET /a HTTP/1.1\r\nHo"));
        p.Reset();
        Assert.True(p.IsIdle);
        Assert.True(p.Feed(B("GET /b HTTP/1.1\r\n\r\n")).IsComplete);
        Assert.Equal("/b", p.TakeRequest().TargetString());
    }

    [Fact]
    public void Feed_WithoutTakingHead_Throws()
    {
        var p = HttpHeadParser.ForRequests();
        p.Feed(B("GET / HTTP/1.1\r\n\r\n"));
        Assert.Throws<InvalidOperationException>(() => p.Feed(B("GET")));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) { Memory = data; }
        public Segment Append(byte[] data)
        {
            var s = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = s;
            return s;
        }
    }
}
