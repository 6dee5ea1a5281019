using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Lb.Actors.Backends;
using Lb.Actors.Rules;
using Lb.Actors.Stats;
using Lb.Actors.Stats.Prometheus;
using Lb.Config;
using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.Prometheus.PromTestSupport;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Stats.Prometheus;

/// <summary>Lb's exporter through real sockets: filters, framing, the config check; and Lb's own cluster metrics on real actor systems.</summary>
public sealed class PrometheusExporterTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fixture;

    public PrometheusExporterTests(ProxyFixture fixture) => _fixture = fixture;

    private static string Config(int prom, string server) => $"""
        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s

        listen web
            bind 127.0.0.1:{prom}
            http-request use-service prometheus-exporter if {"{"} path /metrics {"}"}
            server up1 {server}
            server off1 {server} disabled
            server up2 {server} weight 3

        """;

    [Fact]
    public async Task Scrape_ScopeAndNoMaint_OnlyTheChosenObjects()
    {
        await using var s = TestServer.Start("s", Backend);
        int port = FreePort();
        await using var proxy = await _fixture.StartAsync(Config(port, s.Address));

        var (head, all) = await ScrapeAsync(port, "/metrics");
        Assert.Contains("content-type: text/plain; version=0.0.4\r\n", head);
        Assert.Contains("transfer-encoding: chunked\r\n", head);
        foreach (var prefix in new[] { "haproxy_process_", "haproxy_frontend_", "haproxy_backend_", "haproxy_server_", "lb_" })
            Assert.Contains(Samples(all), x => x.Name.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal("1", Value(all, "haproxy_server_status{proxy=\"web\",server=\"off1\",state=\"MAINT\"}"));
        Assert.Equal("3", Value(all, "haproxy_server_weight{proxy=\"web\",server=\"up2\"}"));

        var (_, servers) = await ScrapeAsync(port, "/metrics?scope=server&no-maint");
        var samples = Samples(servers);
        Assert.NotEmpty(samples);
        Assert.All(samples, x => Assert.StartsWith("haproxy_server_", x.Name));
        Assert.DoesNotContain(samples, x => x.Key.Contains("server=\"off1\""));
        Assert.Contains(samples, x => x.Key.Contains("server=\"up1\""));

        var (_, backends) = await ScrapeAsync(port, "/metrics?scope=backend&scope=frontend");
        Assert.All(Samples(backends), x => Assert.Matches("^haproxy_(backend|frontend)_", x.Name));
        // The maintenance server still counts in the backend's aggregate.
        Assert.Equal("1", Value(backends, "haproxy_backend_agg_server_status{proxy=\"web\",state=\"MAINT\"}"));

        var (_, own) = await ScrapeAsync(port, "/metrics?scope=lb");
        Assert.All(Samples(own), x => Assert.StartsWith("lb_", x.Name));
        Assert.Contains(Samples(own), x => x.Name == "lb_dotnet_gc_heap_bytes");

        var (emptyHead, empty) = await ScrapeAsync(port, "/metrics?scope=");
        Assert.StartsWith("HTTP/1.1 200 OK", emptyHead);
        Assert.Equal("", empty);

        var (badHead, _) = await ScrapeAsync(port, "/metrics?scope=servers");
        Assert.StartsWith("HTTP/1.1 400", badHead);

        // Every scrape was intercepted by the frontend; the six answered ones are counted by status.
        var (_, after) = await ScrapeAsync(port, "/metrics?scope=frontend");
        Assert.Equal("7", Value(after, "haproxy_frontend_intercepted_requests_total{proxy=\"web\"}"));
        Assert.Equal("5", Value(after, "haproxy_frontend_http_responses_total{proxy=\"web\",code=\"2xx\"}"));
        Assert.Equal("1", Value(after, "haproxy_frontend_http_responses_total{proxy=\"web\",code=\"4xx\"}"));
    }

    [Fact]
    public async Task Scrape_Http10KeepAlive_ChunkedWithKeepAliveAndSecondRequestServed()
    {
        await using var s = TestServer.Start("s", Backend);
        int port = FreePort();
        await using var proxy = await _fixture.StartAsync(Config(port, s.Address));
        var raw = await ExchangeAsync(port, "GET /metrics?scope= HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", TimeSpan.FromSeconds(2));
        // haproxy answers an HTTP/1.0 client with a chunked body too, and keeps the connection.
        Assert.Equal("HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: text/plain; version=0.0.4\r\ntransfer-encoding: chunked\r\n" +
                     "connection: keep-alive\r\n\r\n0\r\n\r\n", raw);
        var two = await ExchangeAsync(port, "GET /metrics?scope= HTTP/1.1\r\nHost: a\r\n\r\nGET /metrics?scope= HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        Assert.Equal(2, two.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.EndsWith("connection: close\r\n\r\n0\r\n\r\n", two);
    }

    [Fact]
    public async Task Scrape_WithHttpLog_LoggedAsHaproxyLogsItsExporter()
    {
        using var syslog = new Lb.Tests.Logging.SyslogListener();
        int port = FreePort();
        await using var proxy = await _fixture.StartAsync($"""
            global
                log 127.0.0.1:{syslog.Port} local0
            defaults
                mode http
                log global
                option httplog
                timeout client 5s
            frontend prom
                bind 127.0.0.1:{port}
                http-request use-service prometheus-exporter if {"{"} path /metrics {"}"}

            """);
        var ok = await ExchangeAsync(port, Get("/metrics?scope=global"));
        var bad = await ExchangeAsync(port, Get("/metrics?scope=x"));
        var lines = await syslog.WaitForAsync(2, TimeSpan.FromSeconds(10));
        // haproxy: "... prom prom/<PROMEX> 0/0/0/0/0 200 12003 - - LR-- ... "GET /metrics?scope=global HTTP/1.1""
        var fields = lines.Select(l => Lb.Tests.Logging.HttpLog.Parse(Lb.Tests.Logging.Rfc3164Line.Parse(l).Message)).OrderBy(f => f["ST"]).ToList();
        foreach (var (f, status, answer) in new[] { (fields[0], "200", ok), (fields[1], "400", bad) })
        {
            Assert.Equal("prom", f["ft"]);
            Assert.Equal("prom", f["b"]);
            Assert.Equal("<PROMEX>", f["s"]);
            Assert.Equal(status, f["ST"]);
            Assert.Equal(answer.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), f["B"]);
            Assert.Equal("LR--", f["tsc"]);
        }
    }

    [Fact]
    public void ConfigCheck_PrometheusExporterService_NoWarning()
    {
        var text = Config(FreePort(), "127.0.0.1:1");
        var config = ConfigLoader.LoadText(text, "haproxy.cfg").Config!;
        Assert.DoesNotContain(RuleCheck.Warnings(config), w => w.Contains("use-service", StringComparison.Ordinal));
        // The same check does warn about a service Lb does not have.
        var unknown = ConfigLoader.LoadText(text.Replace("prometheus-exporter", "no-such-service"), "haproxy.cfg").Config!;
        Assert.Contains(RuleCheck.Warnings(unknown), w => w.Contains("use-service no-such-service", StringComparison.Ordinal));
    }

    private static readonly Akka.Configuration.Config ClusterHocon = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.cluster.downing-provider-class = ""
        """);

    private static NodeStats Node(ActorSystem? system)
    {
        var config = ConfigLoader.LoadText("backend b\n    server s 127.0.0.1:1\n", "haproxy.cfg").Config!;
        return new NodeStats(config, BackendRegistry.Build(config, _ => null)) { System = system };
    }

    [Fact]
    public async Task LbMetrics_TwoNodeCluster_MembersUpAndOneLeader()
    {
        var a = ActorSystem.Create("promcluster", ClusterHocon);
        var b = ActorSystem.Create("promcluster", ClusterHocon);
        try
        {
            var address = Cluster.Get(a).SelfAddress;
            Cluster.Get(a).Join(address);
            Cluster.Get(b).Join(address);
            var lb = new PromQuery(PromScope.Lb, false);
            Assert.True(await WaitUntilAsync(() => Task.FromResult(
                PrometheusService.Text(Node(a), lb).Contains("lb_cluster_members{status=\"up\"} 2\n") &&
                PrometheusService.Text(Node(b), lb).Contains("lb_cluster_members{status=\"up\"} 2\n")), TimeSpan.FromSeconds(20)), "the two nodes never saw each other up");
            var texts = new[] { PrometheusService.Text(Node(a), lb), PrometheusService.Text(Node(b), lb) };
            foreach (var text in texts)
            {
                Assert.Equal("0", Value(text, "lb_cluster_unreachable_members"));
                Assert.Equal("1", Value(text, "lb_cluster_self_status{status=\"up\"}"));
                Assert.Equal("0", Value(text, "lb_cluster_members{status=\"joining\"}"));
                Assert.Contains("# TYPE lb_cluster_is_leader gauge\n", text);
            }
            Assert.Equal(1, texts.Count(t => Value(t, "lb_cluster_is_leader") == "1"));
            Assert.Equal(1, texts.Count(t => Value(t, "lb_cluster_is_leader") == "0"));

            // b leaves: a sees one member up again once b is removed.
            await Cluster.Get(b).LeaveAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(await WaitUntilAsync(() => Task.FromResult(PrometheusService.Text(Node(a), lb).Contains("lb_cluster_members{status=\"up\"} 1\n")),
                TimeSpan.FromSeconds(20)), "a still counts b");
        }
        finally
        {
            await Task.WhenAll(a.Terminate(), b.Terminate()).WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public void LbMetrics_NoClusterProvider_RuntimeOnly()
    {
        using var system = ActorSystem.Create("promlocal", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var text = PrometheusService.Text(Node(system), new PromQuery(PromScope.Lb, false));
        Assert.DoesNotContain("lb_cluster_", text);
        Assert.True(long.Parse(Value(text, "lb_dotnet_gc_heap_bytes")) > 0);
        Assert.True(long.Parse(Value(text, "lb_dotnet_gc_allocated_bytes_total")) > 0);
        Assert.True(double.Parse(Value(text, "lb_process_cpu_seconds_total"), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
