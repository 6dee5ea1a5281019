using Xunit;
using System.Text;
using Lb.Actors.Http;
using Lb.Tests.Support;

namespace Lb.Tests.Http;

/// <summary>Test data captured from haproxy (Http/Data) and small parsing helpers.</summary>
internal static class HttpTestData
{
    /// <summary>Http/Data next to the test assembly when copied there, else in the source tree.</summary>
    public static string DataDir
    {
        get
        {
            var copied = Path.Combine(AppContext.BaseDirectory, "Http", "Data");
            return Directory.Exists(copied) ? copied : Path.Combine(RepoPaths.Root, "tests", "Lb.Tests", "Http", "Data");
        }
    }

    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(DataDir, name));

    public static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    public static string S(ReadOnlySpan<byte> b) => Encoding.Latin1.GetString(b);

    public static RequestHead ParseRequest(string text, HttpLimits? limits = null)
    {
        var p = HttpHeadParser.ForRequests(limits);
        var r = p.Feed(B(text));
        Assert.True(r.IsComplete, $"expected a complete head, got {r.Status} {r.ErrorStatus} {p.ErrorReason}");
        return p.TakeRequest();
    }

    public static ResponseHead ParseResponse(string text)
    {
        var p = HttpHeadParser.ForResponses();
        var r = p.Feed(B(text));
        Assert.True(r.IsComplete, $"expected a complete head, got {r.Status} {r.ErrorStatus} {p.ErrorReason}");
        return p.TakeResponse();
    }

    /// <summary>Feeds <paramref name="data"/> in pieces cut at <paramref name="cuts"/>; returns the
    /// final result and the total bytes consumed from data.</summary>
    public static (HeadParseResult Result, int Consumed) FeedSplit(HttpHeadParser p, byte[] data, params int[] cuts)
    {
        int start = 0, consumed = 0;
        foreach (var cut in cuts.Append(data.Length))
        {
            if (cut < start) continue;
            var r = p.Feed(data.AsSpan(start, cut - start));
            consumed += r.Consumed;
            if (r.Status != HeadParseStatus.NeedMore) return (r with { Consumed = consumed }, consumed);
            start = cut;
        }
        return (new HeadParseResult(HeadParseStatus.NeedMore, consumed), consumed);
    }

    /// <summary>Status of a request answered by haproxy: 0 when accepted.</summary>
    public static int RequestStatus(string raw)
    {
        var p = HttpHeadParser.ForRequests();
        var r = p.Feed(B(raw));
        return r.IsError ? r.ErrorStatus : r.IsComplete ? 0 : -1;
    }
}
