using System.Globalization;
using Akka.Actor;
using Lb.Tests.DataPlane;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>
/// Lb's httplog lines, received on a UDP syslog listener and checked field by field (the
/// format of haproxy's "8.2.3 HTTP log format").
/// </summary>
public sealed class HttpLogTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fixture;

    public HttpLogTests(ProxyFixture fixture) => _fixture = fixture;

    private static string Config(int syslog, int port, int server, string extra = "") => $"""
        global
            log 127.0.0.1:{syslog} local0
        defaults
            mode http
            log global
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        frontend web
            bind 127.0.0.1:{port}
            option httplog
            capture request header Host len 10
            capture response header X-Srv len 4
        {extra}
            default_backend app
        backend app
            server s1 127.0.0.1:{server}

        """;

    [Fact]
    public async Task HttpLog_GetWithCaptures_EveryFieldAsHaproxyPrintsIt()
    {
        using var syslog = new SyslogListener();
        await using var server = TestServer.Start("app", LogBackend.Handle);
        int port = Ports.Free();
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, Config(syslog.Port, port, server.Port));
        var before = DateTime.Now;

        var answer = await LogClient.GetAsync(port, "/ok?x=1", "Cookie: a=b\r\n");
        Assert.StartsWith("HTTP/1.1 200", answer);

        var line = Rfc3164Line.Parse((await syslog.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0]);
        Assert.Equal(16, line.Facility);             // local0
        Assert.Equal(6, line.Level);                 // info
        Assert.Equal("haproxy", line.Tag);
        Assert.Equal(Environment.ProcessId, line.Pid);
        Assert.Null(line.Host);                      // no log-send-hostname

        var f = HttpLog.Parse(line.Message);
        Assert.Equal("127.0.0.1", f["ci"]);
        Assert.InRange(int.Parse(f["cp"], CultureInfo.InvariantCulture), 1, 65535);
        var accepted = DateTime.ParseExact(f["tr"], "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture);
        Assert.InRange(accepted, before.AddSeconds(-1), DateTime.Now.AddSeconds(1));
        Assert.Equal("web", f["ft"]);
        Assert.Equal("app", f["b"]);
        Assert.Equal("s1", f["s"]);
        foreach (var t in new[] { "TR", "Tw", "Tc", "Tr", "Ta" }) Assert.True(int.Parse(f[t], CultureInfo.InvariantCulture) >= 0, t);
        Assert.True(int.Parse(f["Ta"]) >= int.Parse(f["Tr"]), "Ta covers Tr");
        Assert.Equal("200", f["ST"]);
        // haproxy's size: status line 20+8+3+2, content-length 15, set-cookie 24, x-srv 13, end 1, body 6
        Assert.Equal("92", f["B"]);
        Assert.Equal("-", f["CC"]);
        Assert.Equal("-", f["CS"]);
        Assert.Equal("----", f["tsc"]);
        Assert.Equal(("1", "1", "0", "0", "0"), (f["ac"], f["fc"], f["bc"], f["sc"], f["rc"]));
        Assert.Equal(("0", "0"), (f["sq"], f["bq"]));
        Assert.Equal("{test}", f["hr"]);
        Assert.Equal("{abcd}", f["hs"]);
        Assert.Equal("\"GET /ok?x=1 HTTP/1.1\"", f["r"]);
    }

    [Fact]
    public async Task HttpLog_KeepAlive_OneLinePerRequestWithItsOwnStart()
    {
        using var syslog = new SyslogListener();
        await using var server = TestServer.Start("app", LogBackend.Handle);
        int port = Ports.Free();
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, Config(syslog.Port, port, server.Port));

        using (var c = await RawConnection.ConnectAsync(port))
        {
            await c.SendAsync("GET /first HTTP/1.1\r\nHost: one\r\n\r\n");
            await c.ReadResponseAsync();
            await Task.Delay(300);
            await c.SendAsync("GET /second HTTP/1.1\r\nHost: two\r\n\r\n");
            await c.ReadResponseAsync();
        }

        var lines = (await syslog.WaitForAsync(2, TimeSpan.FromSeconds(10))).Select(l => HttpLog.Parse(Rfc3164Line.Parse(l).Message)).ToList();
        Assert.Equal("\"GET /first HTTP/1.1\"", lines[0]["r"]);
        Assert.Equal("\"GET /second HTTP/1.1\"", lines[1]["r"]);
        Assert.Equal(lines[0]["cp"], lines[1]["cp"]);
        Assert.Equal(("{one}", "{two}"), (lines[0]["hr"], lines[1]["hr"]));
        // %tr of the second request: when it began, ~300 ms after the first one
        var t0 = DateTime.ParseExact(lines[0]["tr"], "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var t1 = DateTime.ParseExact(lines[1]["tr"], "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture);
        Assert.InRange((t1 - t0).TotalMilliseconds, 250, 5000);
        // the closing of the idle keep-alive connection is not a request: no third line
        Assert.True(await syslog.NothingWithinAsync(TimeSpan.FromMilliseconds(300), l => l.Contains("BADREQ")));
        Assert.Equal(2, syslog.Lines.Count);
    }

    [Fact]
    public async Task HttpLog_NoServerAndBadRequest_HaproxysTerminationStates()
    {
        using var syslog = new SyslogListener();
        int port = Ports.Free(), dead = Ports.Free();
        var cfg = Config(syslog.Port, port, dead).Replace("server s1 127.0.0.1:" + dead, "server s1 127.0.0.1:" + dead + " disabled");
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, cfg);

        Assert.StartsWith("HTTP/1.1 503", await LogClient.GetAsync(port, "/x"));
        var f = HttpLog.Parse(Rfc3164Line.Parse((await syslog.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0]).Message);
        Assert.Equal(("app", "<NOSRV>", "503", "217", "SC--"), (f["b"], f["s"], f["ST"], f["B"], f["tsc"]));
        Assert.Equal("-1", f["Tw"]);
        Assert.Equal("-1", f["Tc"]);
        Assert.Equal("-1", f["Tr"]);

        Assert.StartsWith("HTTP/1.1 400", await LogClient.ExchangeAsync(port, "NOT A REQUEST\r\n\r\n"));
        f = HttpLog.Parse(Rfc3164Line.Parse((await syslog.WaitForAsync(2, TimeSpan.FromSeconds(10)))[1]).Message);
        Assert.Equal(("web", "<NOSRV>", "400", "0", "PR--"), (f["b"], f["s"], f["ST"], f["B"], f["tsc"]));
        Assert.Equal(("-1", "-1", "-1", "-1"), (f["TR"], f["Tw"], f["Tc"], f["Tr"]));
        Assert.Equal("", f["hr"]); // no captures before a request was parsed
        Assert.Equal("\"<BADREQ>\"", f["r"]);
    }

    [Fact]
    public async Task DontLogNull_EmptyConnection_NotLoggedButRequestsAre()
    {
        using var syslog = new SyslogListener();
        await using var server = TestServer.Start("app", LogBackend.Handle);
        int port = Ports.Free();
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, Config(syslog.Port, port, server.Port, "    option dontlognull"));

        await LogClient.AbandonAsync(port, "");
        await LogClient.GetAsync(port, "/after");
        var lines = await syslog.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.Single(syslog.Lines);
        Assert.Contains("\"GET /after HTTP/1.1\"", lines[0]);
    }

    [Fact]
    public async Task LogSeparateErrors_ErrorAtErrLevel_NormalAtInfo()
    {
        using var syslog = new SyslogListener();
        await using var server = TestServer.Start("app", LogBackend.Handle);
        int port = Ports.Free();
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, Config(syslog.Port, port, server.Port, "    option log-separate-errors"));

        await LogClient.GetAsync(port, "/fine");
        await LogClient.GetAsync(port, "/bad"); // invalid response: 502
        var lines = (await syslog.WaitForAsync(2, TimeSpan.FromSeconds(10))).Select(Rfc3164Line.Parse).ToList();
        Assert.Equal(6, lines[0].Level);
        Assert.Equal(3, lines[1].Level);
        Assert.Contains(" 502 ", lines[1].Message);
    }

    [Fact]
    public async Task DontLogNormal_OnlyErrorsAreLogged()
    {
        using var syslog = new SyslogListener();
        await using var server = TestServer.Start("app", LogBackend.Handle);
        int port = Ports.Free();
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, Config(syslog.Port, port, server.Port, "    option dontlog-normal"));

        await LogClient.GetAsync(port, "/fine");
        await LogClient.GetAsync(port, "/close"); // server closes: 502
        var lines = await syslog.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.Single(syslog.Lines);
        Assert.Contains("SH--", lines[0]);
    }

    [Fact]
    public async Task ConnectTimeout_ServerNeverAccepts_SmallSC()
    {
        // A listener whose accept queue is full drops further SYNs: connecting to it times out.
        using var full = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        full.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        full.Listen(0);
        int serverPort = ((System.Net.IPEndPoint)full.LocalEndPoint!).Port;
        var fillers = new List<System.Net.Sockets.Socket>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var f = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                fillers.Add(f);
                try { await f.ConnectAsync(System.Net.IPAddress.Loopback, serverPort).WaitAsync(TimeSpan.FromMilliseconds(300)); }
                catch (TimeoutException) { break; } // the queue is full now
            }
            using var syslog = new SyslogListener();
            int port = Ports.Free();
            var cfg = Config(syslog.Port, port, serverPort).Replace("timeout connect 1s", "timeout connect 300ms\n    retries 0");
            await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, cfg);

            Assert.StartsWith("HTTP/1.1 503", await LogClient.GetAsync(port, "/x"));
            var f0 = HttpLog.Parse(Rfc3164Line.Parse((await syslog.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0]).Message);
            Assert.Equal(("s1", "503", "sC--", "-1"), (f0["s"], f0["ST"], f0["tsc"], f0["Tc"]));
        }
        finally
        {
            foreach (var f in fillers) f.Dispose();
        }
    }
}
