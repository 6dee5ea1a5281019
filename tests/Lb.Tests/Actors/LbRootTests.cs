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
        var bind = new Bind(
            ImmutableArray.Create(new Endpoint(EndpointKind.Ip, "127.0.0.1:8080", "127.0.0.1", IPAddress.Loopback, 8080, 8080)),
            ImmutableDictionary<string, string>.Empty, at);
        var proxies = ImmutableArray.Create(
            new Proxy { Name = "web", Kind = SectionKind.Frontend, Location = at, Binds = ImmutableArray.Create(bind) },
            new Proxy { Name = "app", Kind = SectionKind.Backend, Location = at },
            new Proxy { Name = "stats", Kind = SectionKind.Listen, Location = at });
        return new LbConfig(new GlobalSettings(), proxies, ImmutableArray<RawSection>.Empty, ImmutableArray.Create("haproxy.cfg"));
    }

    [Fact]
    public void Describe_CountsListenAsBoth_AndSaysProxyingIsMissing()
    {
        var lines = LbRoot.Describe(SampleConfig()).ToList();
        Assert.Equal(new[]
        {
            "frontend 'web' would listen on 127.0.0.1:8080",
            "listen 'stats' would listen on (no bind)",
            "loaded 2 frontends, 2 backends; traffic proxying is not implemented yet",
        }, lines);
    }

    [Fact]
    public void Start_LogsWhatItWouldServe()
    {
        EventFilter.Info(contains: "traffic proxying is not implemented yet").ExpectOne(() =>
            Sys.ActorOf(LbRoot.Props(SampleConfig()), LbRoot.Name));
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
