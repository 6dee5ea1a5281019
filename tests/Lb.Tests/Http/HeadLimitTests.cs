using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

/// <summary>Thresholds measured on haproxy 2.6.12 by bisection: with tune.bufsize 16384 a request
/// "GET /aaa... HTTP/1.1\r\nHost: x\r\n\r\n" passes up to 15277 bytes, one with a big header
/// "GET / HTTP/1.1\r\nHost: x\r\nX-Big: bbb...\r\n\r\n" up to 15273; with tune.bufsize 8192, 7085
/// and 7081. One byte more is answered 400 (not 414/431). 100 header lines pass, 101 are 400.</summary>
public class HeadLimitTests
{
    private static string LongUri(int total) => "GET /" + new string('a', total - 27) + " HTTP/1.1\r\nHost: x\r\n\r\n";

    private static string BigHeader(int total) => "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('b', total - 36) + "\r\n\r\n";

    [Theory]
    [InlineData(16384, 15277, 15273)]
    [InlineData(8192, 7085, 7081)]
    public void Feed_HeadAtHaproxyLimit_AcceptedAndOneMore400(int bufsize, int maxUri, int maxHeader)
    {
        var limits = new HttpLimits { BufferSize = bufsize };
        Assert.Equal(maxUri, LongUri(maxUri).Length);
        Assert.Equal(maxHeader, BigHeader(maxHeader).Length);
        Assert.True(HttpHeadParser.ForRequests(limits).Feed(B(LongUri(maxUri))).IsComplete);
        Assert.True(HttpHeadParser.ForRequests(limits).Feed(B(BigHeader(maxHeader))).IsComplete);
        Assert.Equal(400, HttpHeadParser.ForRequests(limits).Feed(B(LongUri(maxUri + 1))).ErrorStatus);
        Assert.Equal(400, HttpHeadParser.ForRequests(limits).Feed(B(BigHeader(maxHeader + 1))).ErrorStatus);
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(101, 400)]
    public void Feed_HeaderCount_LimitedByMaxHdr(int count, int expected)
    {
        var raw = "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"X-H{i}: v\r\n")) + "\r\n";
        Assert.Equal(expected, RequestStatus(raw));
    }

    [Fact]
    public void Feed_EndlessHead_RejectedOnceBufferIsFull()
    {
        var p = HttpHeadParser.ForRequests();
        var chunk = B("X-Filler: " + new string('f', 990) + "\r\n");
        var first = p.Feed(B("GET / HTTP/1.1\r\n"));
        Assert.Equal(HeadParseStatus.NeedMore, first.Status);
        HeadParseResult r = default;
        int fed = 0;
        while (fed < 40)
        {
            r = p.Feed(chunk);
            fed++;
            if (r.IsError) break;
        }
        Assert.True(r.IsError);
        Assert.Equal(400, r.ErrorStatus);
        Assert.True(fed * chunk.Length <= 16384 + chunk.Length);
    }

    [Fact]
    public void Feed_TooLargeResponse_502()
    {
        var raw = "HTTP/1.1 200 OK\r\nX-Big: " + new string('b', 20000) + "\r\n\r\n";
        Assert.Equal(502, HttpHeadParser.ForResponses().Feed(B(raw)).ErrorStatus);
    }
}
