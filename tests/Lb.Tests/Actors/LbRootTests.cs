using System.Collections.Immutable;
using System.Net;
using Akka.TestKit.Xunit2;
using Lb.Actors;
using Lb.Config.Diagnostics;
using Lb.Config.Model;
using Lb.Config.Values;
using Xunit;

namespace Lb.Tests.Actors;

public class LbRootTests : TestKit
{
    private static LbConfig SampleConfig()
    {
        var at = new SourceLocation("haproxy.cfg", 1);
        int port = Lb.Tests.Node.Samples.FreePort();
        var bind = new Bind(
            ImmutableArray.Create(new Endpoint(EndpointKind.Ip, $"127.0.0.1:{port}", "127.0.0.1", IPAddress.Loopback, port, port)),
            ImmutableDictionary<string, string>.Empty, at);
        var proxies = ImmutableArray.Create(
            new Proxy { Name = "web", Kind = SectionKind.Frontend, Location = at, Binds = ImmutableArray.Create(bind) },
            new Proxy { Name = "app", Kind = SectionKind.Backend, Location = at },
            new Proxy { Name = "stats", Kind = SectionKind.Listen, Location = at });
        return new LbConfig(new GlobalSettings(), proxies, ImmutableArray<RawSection>.Empty, ImmutableArray.Create("haproxy.cfg"));
    }

    [Fact]
    public void Describe_CountsListenAsBoth()
    {
        var config = SampleConfig();
        var lines = LbRoot.Describe(config).ToList();
        Assert.Equal(new[]
        {
            $"frontend 'web' (tcp) on {config.Proxies[0].Binds[0].Endpoints[0].Text}",
            "listen 'stats' (tcp) on (no bind)",
            "loaded 2 frontends, 2 backends",
        }, lines);
    }

    [Fact]
    public async Task Start_BindsFrontendsAndReportsReady()
    {
        var config = SampleConfig();
        var started = new TaskCompletionSource<IReadOnlyList<string>>();
        EventFilter.Info(contains: "ready: 1 frontends listening").ExpectOne(() =>
            Sys.ActorOf(LbRoot.Props(config, started), LbRoot.Name));
        var lines = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal($"frontend 'web' listening on {config.Proxies[0].Binds[0].Endpoints[0].Text}", Assert.Single(lines));
    }

    [Fact]
    public async Task Start_PortInUse_FailsStartup()
    {
        var config = SampleConfig();
        var ep = config.Proxies[0].Binds[0].Endpoints[0];
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, ep.Port);
        squatter.Start();
        var started = new TaskCompletionSource<IReadOnlyList<string>>();
        Sys.ActorOf(LbRoot.Props(config, started), LbRoot.Name);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => started.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(ep.Port.ToString(), e.Message);
    }

    [Fact]
    public void GetConfig_RepliesWithTheLoadedModel()
    {
        var config = SampleConfig();
        var root = Sys.ActorOf(LbRoot.Props(config), LbRoot.Name);
        root.Tell(LbRoot.GetConfig.Instance, TestActor);
        Assert.Same(config, ExpectMsg<LbConfig>());
    }
}
