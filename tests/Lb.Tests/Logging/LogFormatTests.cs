using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Actors.Logging;
using Lb.Config;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>The log-format compiler and the rendering of its variables, without sockets.</summary>
public sealed class LogFormatTests : IDisposable
{
    private readonly List<LogService> _services = new();

    public void Dispose()
    {
        foreach (var s in _services) s.Dispose();
    }

    /// <summary>A frontend 'fe' logging with <paramref name="format"/>, and a record for one of its connections.</summary>
    private (FrontendLog Log, LogRecord Record) Open(string format, string mode = "http", string extra = "")
    {
        var cfg = $"frontend fe\n    mode {mode}\n    bind 127.0.0.1:1\n    log 127.0.0.1:9 local0\n    log-format \"{format.Replace("\"", "\\\"")}\"\n{extra}";
        var loaded = ConfigLoader.LoadText(cfg, "t.cfg", _ => null);
        Assert.True(loaded.Config != null, string.Join("\n", loaded.Alerts));
        var service = new LogService(loaded.Config!);
        _services.Add(service);
        var runtime = new FrontendRuntime(loaded.Config!.Frontends.Single(), BackendRegistry.Build(loaded.Config!));
        var log = FrontendLog.Create(service, runtime, null)!;
        var record = log.Open(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 8080));
        return (log, record);
    }

    private static string Render(FrontendLog log, LogRecord r)
    {
        var buffer = new byte[4096];
        var w = new AsciiWriter(buffer);
        LogLineRenderer.Render(ref w, log.Format!, r, log);
        return Encoding.Latin1.GetString(buffer, 0, w.Position);
    }

    private string Line(string format, Action<LogRecord>? fill = null, string mode = "http", string extra = "")
    {
        var (log, r) = Open(format, mode, extra);
        fill?.Invoke(r);
        return Render(log, r);
    }

    [Fact]
    public void Separator_AfterVariableThatPrintsNothing_NotRepeated()
    {
        Assert.Equal("127.0.0.1 -1", Line("%ci %hr %hs %ST"));
        Assert.Equal("127.0.0.1 -1", Line("  %ci   %ST")); // leading and repeated spaces collapse
    }

    [Fact]
    public void Quote_TextQuotedNumbersNot_AbsentTextIsEmptyQuotes()
    {
        Assert.Equal("\"fe\" fe \"\" - 40000", Line("%{+Q}b %b %{+Q}CC %CC %{+Q}cp"));
    }

    [Fact]
    public void GlobalOption_AppliesToFollowingVariables_UntilRemoved()
    {
        Assert.Equal("\"fe\" fe \"<NOSRV>\"", Line("%{+Q}o %f %{-Q}f %s"));
    }

    [Fact]
    public void Literals_PercentPercentAndText()
    {
        Assert.Equal("100% [fe]:8080", Line("100%% [%f]:%fp"));
    }

    [Fact]
    public void Compile_UnknownVariable_ErrorLikeHaproxys()
    {
        Assert.Null(LogFormat.Compile("%ci %nope", httpMode: true, out var error));
        Assert.Contains("no such format variable 'nope'", error);
    }

    [Fact]
    public void Compile_HttpVariableInTcpMode_IgnoredWithWarning()
    {
        var warnings = new List<string>();
        var f = LogFormat.Compile("%ci %r %ST", httpMode: false, out _, warnings);
        Assert.NotNull(f);
        Assert.DoesNotContain(f!.Nodes, n => n.Kind == LogNodeKind.Variable && n.Variable == LogVariable.RequestLine);
        Assert.Contains(warnings, w => w.Contains("'%r' is reserved for HTTP mode"));
    }

    [Fact]
    public void Compile_SampleExpression_LogsDash()
    {
        var warnings = new List<string>();
        Assert.NotNull(LogFormat.Compile("%[src]", httpMode: true, out _, warnings));
        Assert.Single(warnings);
        Assert.Equal("- x", Line("%[req.hdr(host)] x"));
    }

    [Theory]
    [InlineData("GET /a/b?c=d HTTP/1.1", "GET|/a/b?c=d|/a/b|/a/b|?c=d|HTTP/1.1")]
    [InlineData("GET http://h:8/x?y HTTP/1.1", "GET|http://h:8/x?y|http://h:8/x|/x|?y|HTTP/1.1")]
    [InlineData("GET /nine", "GET|/nine|/nine|/nine||HTTP/0.9")]
    public void RequestLineParts_AsHaproxyCutsThem(string requestLine, string expected)
    {
        Assert.Equal(expected, Line("%HM|%HU|%HP|%HPO|%HQ|%HV", r => r.SetRequestLine(Encoding.Latin1.GetBytes(requestLine))));
    }

    [Fact]
    public void RequestLine_NoRequest_BadReq()
    {
        Assert.Equal("\"<BADREQ>\" <BADREQ> <BADREQ>", Line("%{+Q}r %HM %HV"));
    }

    [Fact]
    public void RequestLine_QuotesHashAndNonPrintable_HexEscaped()
    {
        Assert.Equal("\"GET /a#22#23#01#C3#A9]\\ HTTP/1.1\" /a#22#23#01#C3#A9\\]\\\\",
            Line("%{+Q}r %{+E}HU", r => r.SetRequestLine(Encoding.Latin1.GetBytes("GET /a\"#\u0001\u00c3\u00a9]\\ HTTP/1.1"))));
    }

    [Fact]
    public void Captures_BracedListedAndEscaped()
    {
        var line = Line("%hr %hs %hrl %{+Q}hrl %hsl", r =>
        {
            var head = Request("GET / HTTP/1.1\r\nHost: h{|}\"\r\nX-A: first\r\nX-A: second-is-long\r\nX-Empty:\r\n\r\n");
            r.Log.Request(r, head);
        }, extra: "    capture request header Host len 10\n    capture request header X-A len 6\n    capture request header X-Empty len 4\n    capture request header X-None len 4\n    capture response header X-R len 4\n");
        Assert.Equal("{h#7B#7C#7D#22|second||} {} h#7B#7C#7D#22 second  - \"h#7B#7C#7D#22\" \"second\" \"\" \"\" -", line);
    }

    [Fact]
    public void Timers_EventsNotReached_MinusOne()
    {
        Assert.Equal("-1/-1/-1/-1/-1 0", Line("%TR/%Tw/%Tc/%Tr/%Tq %Th"));
    }

    [Fact]
    public void Timers_TcpMode_TwCountsFromMinusOneLikeHaproxy()
    {
        // haproxy computes Tw = t_queue - t_request, and t_request is -1 in TCP: a connection
        // that got its server at once logs Tw=1 (seen on haproxy 2.6: "1/0/3").
        var line = Line("%Tw/%Tc", r => { r.MarkQueue(); r.MarkConnect(); }, mode: "tcp");
        Assert.Matches(new Regex(@"^[12]/[01]$"), line);
    }

    [Fact]
    public void Retries_Redispatched_PlusSign()
    {
        Assert.Equal("+2", Line("%rc", r => { r.Retries = 2; r.Redispatched = true; }));
        Assert.Equal("3", Line("%rc", r => r.Retries = 3));
    }

    [Fact]
    public void Hex_TimestampAddressPortPid()
    {
        var line = Line("%{+X}Ts %{+X}ci %{+X}cp %{+X}pid %pid");
        var parts = line.Split(' ');
        Assert.Matches(new Regex("^[0-9A-F]{8}$"), parts[0]);
        Assert.Equal("7F000001", parts[1]);
        Assert.Equal("9C40", parts[2]);
        Assert.Equal(Environment.ProcessId.ToString("X4"), parts[3]);
        Assert.Equal(Environment.ProcessId.ToString(), parts[4]);
    }

    [Fact]
    public void TerminationState_WithAndWithoutCookieFlags()
    {
        Assert.Equal("-- ---- sH sH--", Line("%ts %tsc", null) + " " + Line("%ts %tsc", r => r.Terminate('s', 'H')));
        Assert.Equal("CD", Line("%ts", r => { r.Terminate('C', 'D'); r.Terminate('S', 'D'); })); // the first cause stays
    }

    [Fact]
    public void Dates_ShapesOfT_Tl_Trg_Ts()
    {
        var line = Line("%T|%Tl|%trg|%t|%ms|%Ts");
        Assert.Matches(new Regex(@"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\|\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\|\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\|\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\|\d{3}\|\d{10}$"), line);
    }

    [Fact]
    public void UniqueId_RenderedFromUniqueIdFormat()
    {
        var line = Line("%ID %{+Q}ID", r => { }, extra: "    unique-id-format %{+X}o\\ %ci:%cp_%fp\n");
        Assert.Equal("7F000001:9C40_1F90 \"7F000001:9C40_1F90\"", line);
        Assert.Equal("- \"\"", Line("%ID %{+Q}ID"));
    }

    [Fact]
    public void Bytes_RequestAndResponseHeadsInHaproxysSize()
    {
        var line = Line("%U %B %ST", r =>
        {
            r.Log.Request(r, Request("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            r.Log.Response(r, Response("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"));
        });
        // request: 20 + GET + /ok + HTTP/1.1, host x, end: 40 (haproxy 2.6 logged 40); response: 56 (logged 56)
        Assert.Equal("40 56 404", line);
    }

    [Theory]
    [InlineData(503, 217)]
    [InlineData(504, 198)]
    [InlineData(502, 209)]
    public void HtxSize_ErrorPages_AsHaproxyCountsThem(int status, long expected)
    {
        Assert.Equal(expected, HtxSize.OfRawResponse(ErrorPages.Get(status, ConnectionHeader.Close)));
    }

    private static RequestHead Request(string text)
    {
        var p = HttpHeadParser.ForRequests(HttpLimits.Default);
        var r = p.Feed(Encoding.Latin1.GetBytes(text));
        Assert.Equal(HeadParseStatus.Complete, r.Status);
        return p.TakeRequest();
    }

    private static ResponseHead Response(string text)
    {
        var p = HttpHeadParser.ForResponses(HttpLimits.Default);
        var r = p.Feed(Encoding.Latin1.GetBytes(text));
        Assert.Equal(HeadParseStatus.Complete, r.Status);
        return p.TakeResponse();
    }
}
