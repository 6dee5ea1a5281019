using System.Diagnostics;
using System.Text;
using Lb.Actors.Http;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.DataPlane;

/// <summary>
/// Errors the proxy answers itself, compared with what haproxy 2.6 sends on the same config
/// (captured on loopback, see the constants): connection-level errors (400, 408) go out in the
/// source form with "Connection: close" and the connection closes; stream errors (502, 503, 504)
/// go out lower-cased, without a Connection header on a keep-alive HTTP/1.1 connection, which
/// stays open for the next request. After every error the proxy still serves.
/// </summary>
public sealed class HttpErrorTests : IClassFixture<ProxyFixture>
{
    // haproxy 2.6.12 on loopback, byte for byte.
    internal const string Haproxy400 = "HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n";
    internal const string Haproxy408 = "HTTP/1.1 408 Request Time-out\r\nContent-length: 110\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n";
    internal const string Haproxy502 = "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n";
    internal const string Haproxy503 = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n";
    internal const string Haproxy504 = "HTTP/1.1 504 Gateway Time-out\r\ncontent-length: 92\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n";

    private readonly ProxyFixture _fx;
    private readonly ITestOutputHelper _out;

    public HttpErrorTests(ProxyFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    /// <summary>/close: closes without answering; /stall: never answers; anything else: 200.</summary>
    private static async Task Scripted(RawConnection c)
    {
        for (int k = 1; k <= 100; k++)
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            switch (req.Target)
            {
                case "/close":
                    return;
                case "/stall":
                    await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(5), keep: 0);
                    return;
                default:
                    await c.SendAsync(Handlers.Response200($"ok {req.Target}"));
                    break;
            }
        }
    }

    /// <summary>fe: timeout http-request 300ms, backend be (timeout server 300ms); fe_none: a backend without servers.
    /// The keep-alive idle time is long (10 s) so that a slow test thread between two requests on a loaded
    /// machine does not meet the 300 ms idle close (the tests that need a next request on the connection).</summary>
    private async Task<(RunningProxy Proxy, TestServer Server, int Fe, int FeNone)> StartAsync()
    {
        var srv = TestServer.Start("s1", Scripted);
        int fe = Ports.Free(), feNone = Ports.Free();
        var cfg = Configs.Http(fe, Configs.Server("s1", srv),
            frontendExtra: "    timeout http-request 300ms\n    timeout http-keep-alive 10s",
            backendExtra: "    timeout server 300ms",
            moreSections: $"""
                frontend fe_none
                    bind 127.0.0.1:{feNone}
                    default_backend none

                backend none
                """);
        try
        {
            return (await _fx.StartAsync(cfg), srv, fe, feNone);
        }
        catch
        {
            await srv.DisposeAsync();
            throw;
        }
    }

    private static byte[] BodyOf(byte[] page)
    {
        int at = page.AsSpan().IndexOf("\r\n\r\n"u8);
        return page[(at + 4)..];
    }

    private static async Task AssertStillServesAsync(int fe)
    {
        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/fine"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, r.Status);
        Assert.Equal("ok /fine", r.BodyText);
    }

    [Fact]
    public void ErrorPages_LbTables_MatchHaproxyCaptures()
    {
        Assert.Equal(Haproxy400, Bytes.Latin1(ErrorPages.Raw(400)));
        Assert.Equal(Haproxy408, Bytes.Latin1(ErrorPages.Raw(408)));
        Assert.Equal(Haproxy502, Bytes.Latin1(ErrorPages.Get(502)));
        Assert.Equal(Haproxy503, Bytes.Latin1(ErrorPages.Get(503)));
        Assert.Equal(Haproxy504, Bytes.Latin1(ErrorPages.Get(504)));
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")]
    public async Task MalformedRequest_BadSyntax_Answers400PageClosesAndStillServes(string raw)
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(raw);
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(400, r.Status);
        Bytes.AssertEqual(BodyOf(ErrorPages.Get(400, ConnectionHeader.Close)), r.Body, "400 page body");
        Bytes.AssertEqual(BodyOf(Encoding.Latin1.GetBytes(Haproxy400)), r.Body, "400 page body as haproxy sends it");
        Assert.True(r.ConnectionHas("close"));
        var (_, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(CloseKind.Fin, kind);
        Assert.Equal(0, srv.Accepts);
        await AssertStillServesAsync(fe);
    }

    [Fact]
    public async Task MalformedRequest_GarbageLine_SendsHaproxysBytesExactly()
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("GARBAGE\r\n\r\n");
        var (all, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(Haproxy400, Bytes.Latin1(all));
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Fact]
    public async Task OversizedHeaders_17000ByteHeader_Answers400AndStillServes()
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        using var c = await RawConnection.ConnectAsync(fe);
        // > tune.bufsize (16384): haproxy answers 400 (not 431), before any server is involved.
        await c.SendAsync($"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 17_000)}\r\n\r\n");
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(400, r.Status);
        Bytes.AssertEqual(BodyOf(ErrorPages.Get(400)), r.Body, "400 page body");
        var (_, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(2));
        Assert.NotEqual(CloseKind.Timeout, kind);
        Assert.Equal(0, srv.Accepts);
        await AssertStillServesAsync(fe);
    }

    [Fact]
    public async Task LargeHeaders_12000ByteHeaderUnderTheLimit_Forwarded()
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync($"GET /fine HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 12_000)}\r\n\r\n");
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(200, r.Status);
    }

    [Fact]
    public async Task ServerClosesBeforeResponse_FirstRequest_Answers502AndStillServes()
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync(Handlers.Get("/close"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(502, r.Status);
        Bytes.AssertEqual(BodyOf(ErrorPages.Get(502)), r.Body, "502 page body");
        await AssertStillServesAsync(fe);
    }

    [Fact]
    public async Task ServerStalls_TimeoutServer300ms_Answers504WithinTolerance()
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        await AssertStillServesAsync(fe); // warm-up: the timing below should not include first-use costs
        using var c = await RawConnection.ConnectAsync(fe);
        var sw = Stopwatch.StartNew();
        await c.SendAsync(Handlers.Get("/stall"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        var took = sw.Elapsed;
        _out.WriteLine($"504 after {took.TotalMilliseconds:F0} ms");
        Assert.Equal(504, r.Status);
        Bytes.AssertEqual(BodyOf(ErrorPages.Get(504)), r.Body, "504 page body");
        Assert.InRange(took.TotalMilliseconds, 250, 1500);
        await AssertStillServesAsync(fe);
    }

    [Fact]
    public async Task NoServerInBackend_Request_Answers503AndStillServes()
    {
        var (proxy, srv, fe, feNone) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        using var c = await RawConnection.ConnectAsync(feNone);
        var sw = Stopwatch.StartNew();
        await c.SendAsync(Handlers.Get("/anything"));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        Assert.Equal(503, r.Status);
        Bytes.AssertEqual(BodyOf(ErrorPages.Get(503)), r.Body, "503 page body");
        // No server, so no connect attempts and no retry delays (retries 3 would take ~3 s).
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2.5), $"503 took {sw.Elapsed}");
        await AssertStillServesAsync(fe);
    }

    [Fact]
    public async Task HttpRequestTimeout_HalfSentHead_Answers408WithinToleranceAndStillServes()
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        await AssertStillServesAsync(fe); // warm-up: the timing below should not include first-use costs
        using var c = await RawConnection.ConnectAsync(fe);
        var sw = Stopwatch.StartNew();
        await c.SendAsync("GET /fine HTTP/1.1\r\nHost: x\r\n"); // the empty line never comes
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        var took = sw.Elapsed;
        _out.WriteLine($"408 after {took.TotalMilliseconds:F0} ms");
        Assert.Equal(408, r.Status);
        Bytes.AssertEqual(BodyOf(ErrorPages.Get(408)), r.Body, "408 page body");
        Bytes.AssertEqual(BodyOf(Encoding.Latin1.GetBytes(Haproxy408)), r.Body, "408 page body as haproxy sends it");
        Assert.InRange(took.TotalMilliseconds, 250, 1500);
        var (_, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(CloseKind.Fin, kind);
        await AssertStillServesAsync(fe);
    }

    [Fact]
    public async Task HttpRequestTimeout_HalfSentHead_SendsHaproxysBytesExactly()
    {
        var (proxy, srv, fe, _) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;

        using var c = await RawConnection.ConnectAsync(fe);
        await c.SendAsync("GET /fine HTTP/1.1\r\nHost: x\r\n");
        var (all, kind) = await c.ReadUntilCloseAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(Haproxy408, Bytes.Latin1(all));
        Assert.Equal(CloseKind.Fin, kind);
    }

    [Theory]
    [InlineData("/close", 502)]
    [InlineData("/stall", 504)]
    [InlineData("none", 503)]
    public async Task GatewayError_FirstRequestOnConnection_HaproxysBytesAndConnectionKeptAlive(string target, int status)
    {
        var (proxy, srv, fe, feNone) = await StartAsync();
        await using var _p = proxy;
        await using var _s = srv;
        var expected = status switch { 502 => Haproxy502, 503 => Haproxy503, _ => Haproxy504 };

        using var c = await RawConnection.ConnectAsync(target == "none" ? feNone : fe);
        await c.SendAsync(Handlers.Get(target == "none" ? "/x" : target));
        var r = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(5));
        Assert.Equal(expected, Bytes.Latin1(r.RawHead.Concat(r.Body).ToArray()));

        // Same connection, next request: served (503 again on the serverless frontend).
        await c.SendAsync(Handlers.Get("/fine"));
        var next = await c.ReadResponseAsync(timeout: TimeSpan.FromSeconds(3));
        Assert.Equal(target == "none" ? 503 : 200, next.Status);
    }
}
