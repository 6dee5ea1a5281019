using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Akka.Actor;
using Lb.Actors;
using Lb.Tests.DataPlane;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>
/// Server state changes and stop messages reach the proxies' log targets at haproxy's levels
/// (captured from haproxy 2.6.12: DOWN &lt;129&gt; alert, "no server available" &lt;128&gt;
/// emerg, UP &lt;133&gt; notice, "Proxy X stopped" &lt;132&gt; warning).
/// </summary>
public sealed class ProxyEventLogTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fixture;

    public ProxyEventLogTests(ProxyFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task HealthChanges_ToSyslog_WithHaproxysLevelsAndWords()
    {
        using var syslog = new SyslogListener();
        int port = Ports.Free(), serverPort = Ports.Free();
        var cfg = $"""
            global
                log {syslog.Address} local0
            defaults
                mode http
                log global
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend web
                bind 127.0.0.1:{port}
                default_backend app
            backend app
                server s1 127.0.0.1:{serverPort} check inter 200 rise 1

            """;
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, cfg);

        var down = await syslog.WaitForAsync(2, TimeSpan.FromSeconds(10));
        Assert.Matches(new Regex(@"^<129>.* haproxy\[\d+\]: Server app/s1 is DOWN, reason: Layer4 connection problem, info: ""Connection refused"", check duration: \d+ms\. 0 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.\n$"), down[0]);
        Assert.Matches(new Regex(@"^<128>.*: backend app has no server available!\n$"), down[1]);

        var listener = new TcpListener(IPAddress.Loopback, serverPort);
        listener.Start();
        try
        {
            var up = await syslog.WaitForAsync(3, TimeSpan.FromSeconds(10));
            Assert.Matches(new Regex(@"^<133>.*: Server app/s1 is UP, reason: Layer4 check passed, check duration: \d+ms\. 1 active and 0 backup servers online\. 0 sessions requeued, 0 total in queue\.\n$"), up[2]);
        }
        finally { listener.Stop(); }
    }

    [Fact]
    public async Task SoftStop_EachProxyStopped_WarningWithCumulatedConnections()
    {
        using var syslog = new SyslogListener();
        await using var server = TestServer.Start("app", Handlers.HttpOk);
        int port = Ports.Free();
        var cfg = $"""
            global
                log {syslog.Address} local0
            defaults
                mode http
                log global
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend web
                bind 127.0.0.1:{port}
                default_backend app
            backend app
                server s1 127.0.0.1:{server.Port}

            """;
        await using var proxy = await RunningProxy.StartLbAsync(_fixture.System, cfg);
        await LogClient.GetAsync(port, "/");
        await syslog.WaitForAsync(1, TimeSpan.FromSeconds(5)); // the default log's "Connect from"

        await proxy.Root!.Ask<LbRoot.Drained>(LbRoot.Drain.Instance, TimeSpan.FromSeconds(10));

        var lines = await syslog.WaitForAsync(2, TimeSpan.FromSeconds(5), l => l.Contains(" stopped "));
        Assert.Matches(new Regex(@"^<132>.*: Proxy web stopped \(cumulated conns: FE: 1, BE: 0\)\.\n$"), lines[0]);
        Assert.Matches(new Regex(@"^<132>.*: Proxy app stopped \(cumulated conns: FE: 0, BE: 1\)\.\n$"), lines[1]);
    }
}
