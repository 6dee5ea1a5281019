using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

/// <summary>Compared with bytes captured from haproxy 2.6.12 (Http/Data/README.md tells how).</summary>
public class ErrorPagesTests
{
    public static readonly TheoryData<int> StreamCodes = new() { 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504 };

    [Theory]
    [MemberData(nameof(StreamCodes))]
    public void Get_KeepAliveClient_EqualsHaproxyDenyStatus(int status)
        => Assert.Equal(S(Load($"stream_{status}.http")), S(ErrorPages.Get(status)));

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Get_NaturalErrors_EqualHaproxy(int status)
        => Assert.Equal(Load($"natural_{status}.http"), ErrorPages.Get(status));

    [Fact]
    public void Get_Http10Client_ConnectionClose()
    {
        Assert.Equal(Load("close_503.http"), ErrorPages.Get(503, ConnectionHeader.Close));
        Assert.Equal(Load("close_403.http"), ErrorPages.Get(403, ConnectionHeader.Close));
    }

    [Fact]
    public void Get_Http10KeepAliveClient_ConnectionKeepAlive()
        => Assert.Equal(Load("keepalive_503.http"), ErrorPages.Get(503, ConnectionHeader.KeepAlive));

    [Theory]
    [InlineData(400)]
    [InlineData(408)]
    [InlineData(413)]
    [InlineData(422)]
    public void Raw_ConnectionLevelErrors_EqualHaproxy(int status)
        => Assert.Equal(S(Load($"raw_{status}.http")), S(ErrorPages.Raw(status)));

    [Fact]
    public void Raw_AcceptanceChecks_400PageText()
    {
        var page = S(ErrorPages.Raw(400));
        Assert.StartsWith("HTTP/1.1 400", page);
        Assert.Contains("400 Bad request", page);
    }

    [Fact]
    public void Get_UnknownStatus_500Page()
    {
        Assert.Same(ErrorPages.Get(500), ErrorPages.Get(418));
        Assert.Equal(500, ErrorPages.Normalize(599));
    }

    [Fact]
    public void Get_SameStatusTwice_SameArray()
        => Assert.Same(ErrorPages.Get(503, ConnectionHeader.Close), ErrorPages.Get(503, ConnectionHeader.Close));

    [Fact]
    public void ErrorPageSet_Errorfile_RenderedAsHaproxySendsIt()
    {
        var set = ErrorPageSet.FromFiles(new Dictionary<int, string>
        {
            [503] = Path.Combine(DataDir, "errorfile_503.src.http"),
            [400] = Path.Combine(DataDir, "errorfile_400.src.http"),
        });
        Assert.True(set.IsCustom(503));
        Assert.Equal(S(Load("errorfile_503.keepalive11.http")), S(set.Get(503)));
        Assert.Equal(S(Load("errorfile_503.close10.http")), S(set.Get(503, ConnectionHeader.Close)));
        Assert.Equal(ErrorPages.Get(504), set.Get(504));
        // connection-level 400 ignores errorfile in haproxy:
        Assert.Equal(Load("errorfile_400.garbage.http"), ErrorPages.Raw(400));
    }

    [Fact]
    public void ErrorPageSet_MissingOrInvalidFile_DefaultPageAndWarning()
    {
        var warnings = new List<string>();
        var bad = Path.GetTempFileName();
        try
        {
            File.WriteAllText(bad, "not an http response");
            var set = ErrorPageSet.FromFiles(new Dictionary<int, string> { [503] = "/nonexistent/x.http", [502] = bad }, warnings.Add);
            Assert.Equal(2, warnings.Count);
            Assert.Same(ErrorPages.Get(503), set.Get(503));
            Assert.Same(ErrorPages.Get(502), set.Get(502));
        }
        finally { File.Delete(bad); }
    }

    [Fact]
    public void ErrorPageSet_ForProxy_UsesErrorFiles()
    {
        var r = Lb.Config.ConfigLoader.LoadText($"defaults\n    mode http\n    errorfile 503 {Path.Combine(DataDir, "errorfile_503.src.http")}\nbackend app\n");
        Assert.True(r.Success, string.Join("\n", r.Diagnostics));
        var set = ErrorPageSet.For(r.Config!.FindBackend("app")!);
        Assert.Equal(Load("errorfile_503.keepalive11.http"), set.Get(503));
    }
}
