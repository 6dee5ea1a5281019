using System.Text;
using System.Buffers;
using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

public class HeaderEditingTests
{
    private const string Sample = "GET /p HTTP/1.1\r\nHost: x\r\nAccept: a\r\nX-Remove: 1\r\nx-remove: 2\r\n\r\n";

    [Fact]
    public void CopyTo_Unmodified_ReceivedBytesUnchanged()
    {
        using var req = ParseRequest(Sample);
        Assert.False(req.IsModified);
        Assert.Equal(B(Sample), req.ToArray());
        Assert.Equal(Sample.Length, req.SerializedLength);
    }

    [Fact]
    public void Remove_AllCaseInsensitiveMatches_Removed()
    {
        using var req = ParseRequest(Sample);
        Assert.Equal(2, req.Remove("X-REMOVE"));
        Assert.Equal("GET /p HTTP/1.1\r\nHost: x\r\nAccept: a\r\n\r\n", req.ToString());
    }

    [Fact]
    public void Add_NewHeader_AppendedLast()
    {
        using var req = ParseRequest(Sample);
        req.Add("X-New", "v");
        Assert.Equal(Sample[..^2] + "X-New: v\r\n\r\n", req.ToString());
        Assert.Equal(req.SerializedLength, req.ToArray().Length);
    }

    [Fact]
    public void Set_ExistingHeader_ReplacesAll()
    {
        using var req = ParseRequest(Sample);
        req.Set("x-remove", "3");
        Assert.Equal("3", req.GetValue("X-Remove"));
        Assert.Equal(1, req.Headers.Count());
    }

    [Fact]
    public void SetValueAt_KeepsPosition()
    {
        using var req = ParseRequest(Sample);
        req.SetValueAt(req.IndexOf("accept"), "text/html"u8);
        Assert.Equal("GET /p HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nX-Remove: 1\r\nx-remove: 2\r\n\r\n", req.ToString());
    }

    [Fact]
    public void Headers_Enumerate_NamesAndValuesInOrder()
    {
        using var req = ParseRequest(Sample);
        var seen = new List<string>();
        foreach (var h in req.Headers) seen.Add(h.NameString() + "=" + h.ValueString());
        Assert.Equal(["Host=x", "Accept=a", "X-Remove=1", "x-remove=2"], seen);
        Assert.Equal("1, 2", req.GetJoinedValues("x-remove"));
    }

    [Fact]
    public void Add_ManyHeaders_BufferGrows()
    {
        using var req = ParseRequest(Sample);
        for (int i = 0; i < 200; i++) req.Add($"X-{i}", new string('v', 50));
        Assert.Equal(204, req.HeaderCount);
        Assert.EndsWith("X-199: " + new string('v', 50) + "\r\n\r\n", req.ToString());
    }

    [Fact]
    public void WriteTo_BufferWriter_SameBytesAsToArray()
    {
        using var req = ParseRequest(Sample);
        req.Add("X-A", "b");
        var w = new ArrayBufferWriter<byte>();
        req.WriteTo(w);
        Assert.Equal(req.ToArray(), w.WrittenSpan.ToArray());
    }

    [Fact]
    public void SetTarget_RewritesRequestLine()
    {
        using var req = ParseRequest(Sample);
        req.SetTarget("/new?q"u8);
        Assert.StartsWith("GET /new?q HTTP/1.1\r\nHost: x\r\n", req.ToString());
    }

    [Fact]
    public void Remove_OnResponse_RebuildsStatusLine()
    {
        using var res = ParseResponse("HTTP/1.1 200 OK\r\nServer: s\r\nContent-Length: 0\r\n\r\n");
        res.Remove("server");
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", res.ToString());
    }
}

internal static class HeaderEnumeratorExtensions
{
    public static int Count(this HttpHead.HeaderEnumerator e)
    {
        int n = 0;
        foreach (var h in e) if (Ascii.EqualsIgnoreCase(h.Name, "x-remove"u8)) n++;
        return n;
    }
}
