using System.Text.RegularExpressions;
using Akka.Actor;
using Lb.Tests.DataPlane;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Logging;

/// <summary>
/// The same configuration and the same traffic through the real haproxy 2.6 and through Lb,
/// each logging to its own UDP syslog listener; the lines must agree field by field once the
/// fields that cannot be equal are masked: client ports, dates, pids, and the timers' values
/// (a timer's -1, "this event did not happen", must agree). Connection counts depend on
/// how fast each proxy retires the previous connection, so they only have to be counts.
/// </summary>
public sealed class DifferentialLogTests : IDisposable
{
    private readonly ITestOutputHelper _out;
    private readonly ActorSystem _system = ActorSystem.Create("difflog", Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING"));

    public DifferentialLogTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private sealed record FrontendPorts(int Http, int Null, int None, int Dead, int Clf, int Fmt, int Tcp, int TcpDead, int Plain, int Cookie, int TcpHttplog);

    private static string Config(int syslog, FrontendPorts p, int http, int echo, int closed) => $$"""
        global
            log 127.0.0.1:{{syslog}} local0
        defaults
            mode http
            log global
            timeout connect 1s
            timeout client 5s
            timeout server 1s
            timeout http-request 3s
        frontend fe
            bind 127.0.0.1:{{p.Http}}
            option httplog
            capture request header Host len 10
            capture request header X-A len 5
            capture response header X-Srv len 5
            capture cookie SRV len 10
            default_backend be
        frontend fe_null
            bind 127.0.0.1:{{p.Null}}
            option httplog
            option dontlognull
            default_backend be
        frontend fe_none
            bind 127.0.0.1:{{p.None}}
            option httplog
            default_backend be_none
        frontend fe_dead
            bind 127.0.0.1:{{p.Dead}}
            option httplog
            default_backend be_dead
        frontend fe_clf
            bind 127.0.0.1:{{p.Clf}}
            option httplog clf
            capture request header X-A len 20
            default_backend be
        frontend fe_fmt
            bind 127.0.0.1:{{p.Fmt}}
            log-format "%ci|%fi|%fp|%b|%s|%si|%sp|%ST|%B|%U|%{+Q}r|%HM|%HU|%HP|%HQ|%HV|%ts|%tsc|%rc|%{+Q}hrl|%hr|%CC|%{+Q}f|%ft|%Th|%ID|%{+Q}CS|%sq|%bq"
            capture request header X-A len 20
            default_backend be
        frontend fe_tcp
            mode tcp
            bind 127.0.0.1:{{p.Tcp}}
            option tcplog
            default_backend be_echo
        frontend fe_tcp_dead
            mode tcp
            bind 127.0.0.1:{{p.TcpDead}}
            option tcplog
            default_backend be_tcp_dead
        frontend fe_plain
            mode tcp
            bind 127.0.0.1:{{p.Plain}}
            default_backend be_echo
        frontend fe_cookie
            bind 127.0.0.1:{{p.Cookie}}
            option httplog
            default_backend be_cookie
        frontend fe_tcp_httplog
            mode tcp
            bind 127.0.0.1:{{p.TcpHttplog}}
            option httplog
            default_backend be_echo
        backend be
            server s1 127.0.0.1:{{http}}
        backend be_cookie
            cookie LBSRV insert indirect nocache
            server c1 127.0.0.1:{{http}} cookie c1
        backend be_none
            server d1 127.0.0.1:{{http}} disabled
        backend be_dead
            retries 1
            timeout connect 200ms
            server x1 127.0.0.1:{{closed}}
        backend be_echo
            mode tcp
            server e1 127.0.0.1:{{echo}}
        backend be_tcp_dead
            mode tcp
            retries 0
            server x2 127.0.0.1:{{closed}}

        """;

    /// <summary>(name, lines it logs, what the client does).</summary>
    private static List<(string Name, int Lines, Func<Task> Run)> Scenarios(FrontendPorts p) => new()
    {
        ("get with captures", 1, () => LogClient.GetAsync(p.Http, "/ok?a=1", "X-A: abcdefgh\r\nCookie: x=1; SRV=abcdefghijkl\r\n")),
        ("keep-alive, two requests", 2, () => LogClient.KeepAliveAsync(p.Http, "/ka1", "/ka2?q=1")),
        ("post with a body", 1, () => LogClient.ExchangeAsync(p.Http, "POST /post HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")),
        ("chunked response", 1, () => LogClient.GetAsync(p.Http, "/chunk")),
        ("404", 1, () => LogClient.GetAsync(p.Http, "/404")),
        ("http/1.0 without host", 1, () => LogClient.ExchangeAsync(p.Http, "GET /ten HTTP/1.0\r\n\r\n")),
        ("invalid response (502 PH)", 1, () => LogClient.GetAsync(p.Http, "/bad")),
        ("server closes (502 SH)", 1, () => LogClient.GetAsync(p.Http, "/close")),
        ("truncated body (SD)", 1, () => LogClient.GetAsync(p.Http, "/trunc")),
        ("bad request (400 PR)", 1, () => LogClient.ExchangeAsync(p.Http, "GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n")),
        ("partial request (CR)", 1, () => LogClient.AbandonAsync(p.Http, "GET /partial HTTP/1.1\r\nHo")),
        ("escaped header capture", 1, () => LogClient.GetAsync(p.Http, "/esc", "X-A: a\"#{|}\r\n")),
        ("empty connection (CR)", 1, () => LogClient.AbandonAsync(p.Http, "")),
        ("server timeout (504 sH)", 1, () => LogClient.GetAsync(p.Http, "/slow")),
        ("dontlognull: empty connection", 0, () => LogClient.AbandonAsync(p.Null, "")),
        ("dontlognull: request", 1, () => LogClient.GetAsync(p.Null, "/null")),
        ("no server (503 SC <NOSRV>)", 1, () => LogClient.GetAsync(p.None, "/none")),
        ("connect refused (503 SC)", 1, () => LogClient.GetAsync(p.Dead, "/dead")),
        ("clf", 1, () => LogClient.GetAsync(p.Clf, "/clf", "X-A: clf\r\n")),
        ("log-format", 1, () => LogClient.GetAsync(p.Fmt, "/fmt/x?y=1", "X-A: fmt\r\nCookie: SRV=c\r\n")),
        ("tcplog", 1, () => LogClient.EchoAsync(p.Tcp, "hello\n")),
        ("tcplog, refused (SC)", 1, () => LogClient.RefusedAsync(p.TcpDead)),
        ("default log: Connect from", 1, () => LogClient.EchoAsync(p.Plain, "x\n")),
        ("cookie inserted (--NI)", 1, () => LogClient.GetAsync(p.Cookie, "/ck1")),
        ("cookie valid (--VN)", 1, () => LogClient.GetAsync(p.Cookie, "/ck2", "Cookie: LBSRV=c1\r\n")),
        ("cookie invalid (--II)", 1, () => LogClient.GetAsync(p.Cookie, "/ck3", "Cookie: LBSRV=zz\r\n")),
        ("httplog in a tcp frontend: tcplog", 1, () => LogClient.EchoAsync(p.TcpHttplog, "y\n")),
    };

    private async Task<List<string>> RunAsync(bool haproxy, int http, int echo, int closed)
    {
        using var syslog = new SyslogListener();
        var p = new FrontendPorts(Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free());
        var cfg = Config(syslog.Port, p, http, echo, closed);
        await using var proxy = haproxy ? await RunningProxy.StartHaproxyAsync(cfg) : await RunningProxy.StartLbAsync(_system, cfg);
        int expected = 0;
        foreach (var (name, lines, run) in Scenarios(p))
        {
            await run().WaitAsync(TimeSpan.FromSeconds(15));
            expected += lines;
            if (lines == 0) await Task.Delay(300);
            await syslog.WaitForAsync(expected, TimeSpan.FromSeconds(10));
        }
        await Task.Delay(300); // nothing more may come
        return syslog.Lines.ToList();
    }

    [Fact]
    public async Task SameTraffic_HaproxyAndLb_LogTheSameLines()
    {
        if (!File.Exists(ProxyFixture.HaproxyPath)) throw new InvalidOperationException("haproxy is required: " + ProxyFixture.HaproxyPath);
        await using var http = TestServer.Start("http", LogBackend.Handle);
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        // A port nothing listens on for sure: a free port picked here could be taken by another
        // test's server meanwhile (seen: haproxy then got a 200 from it); tests bind no port below 1024.
        const int closed = 1;

        var expected = await RunAsync(haproxy: true, http.Port, echo.Port, closed);
        var actual = await RunAsync(haproxy: false, http.Port, echo.Port, closed);
        foreach (var l in expected) _out.WriteLine("haproxy: " + l.TrimEnd('\n'));
        foreach (var l in actual) _out.WriteLine("lb:      " + l.TrimEnd('\n'));

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(Mask(expected[i]), Mask(actual[i]));
    }

    /// <summary>The line with what may differ replaced: pid, header time, client ports, dates, timer values, conn counts.</summary>
    internal static string Mask(string datagram)
    {
        var line = Rfc3164Line.Parse(datagram);
        var m = line.Message;
        m = Regex.Replace(m, @"127\.0\.0\.1:\d+", "127.0.0.1:PORT");
        m = Regex.Replace(m, @"\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d(\.\d{3}| \+0000)\]", "[DATE]");
        // httplog / tcplog timers and connection counts
        m = Regex.Replace(m, @" (-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/(\+?-?\d+) (\d{3}) ", t =>
            $" {T(t.Groups[1])}/{T(t.Groups[2])}/{T(t.Groups[3])}/{T(t.Groups[4])}/{T(t.Groups[5])} {t.Groups[6].Value} ");
        m = Regex.Replace(m, @"\] (\S+) (\S+) (-?\d+)/(-?\d+)/(\+?-?\d+) (\d+) (\S\S) ", t =>
            $"] {t.Groups[1].Value} {t.Groups[2].Value} {T(t.Groups[3])}/{T(t.Groups[4])}/{T(t.Groups[5])} {t.Groups[6].Value} {t.Groups[7].Value} ");
        m = Regex.Replace(m, @" \d+/\d+/\d+/\d+/(\+?\d+) (\d+)/(\d+)", " N/N/N/N/$1 $2/$3");
        // clf: client port and accept ms, then "TR Tw Tc Tr Ta tsc ac fc bc sc rc"
        m = Regex.Replace(m, @""" (\d+) (\d+) ""(\w+)"" ""(\w+)"" ""([^""]+)"" (-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) (\S{4}) \d+ \d+ \d+ \d+ ",
            t => $@""" PORT MS ""{t.Groups[3].Value}"" ""{t.Groups[4].Value}"" ""{t.Groups[5].Value}"" {T(t.Groups[6])} {T(t.Groups[7])} {T(t.Groups[8])} {T(t.Groups[9])} {T(t.Groups[10])} {t.Groups[11].Value} N N N N ");
        // the log-format line: %fp is its 3rd field
        var fields = m.Split('|');
        if (fields.Length > 20)
        {
            fields[2] = "FP";
            m = string.Join('|', fields);
        }
        return $"<{line.Facility * 8 + line.Level}> {line.Tag}: {m}";
    }

    private static string T(Group g) => g.Value.TrimStart('+').StartsWith('-') ? "-1" : "N";
}
