using Lb.Node;
using Xunit;

namespace Lb.Tests.Node;

public class ClusterHoconTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly Func<string, string?> NoEnv = _ => null;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_Defaults_StandaloneOnLoopbackPort0()
    {
        var c = ClusterHocon.Build(null, debug: false, NoEnv);
        Assert.True(ClusterHocon.IsStandalone(c));
        Assert.Equal("127.0.0.1", c.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(0, c.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("cluster", c.GetString("akka.actor.provider"));
        Assert.Equal("INFO", c.GetString("akka.loglevel"));
    }

    [Fact]
    public void Build_FileWithSeeds_OverridesDefaultsAndIsNotStandalone()
    {
        var file = _dir.File("cluster.hocon", """
            akka.remote.dot-netty.tcp { hostname = 10.0.0.1, port = 4053 }
            akka.cluster.seed-nodes = ["akka.tcp://lb@10.0.0.1:4053", "akka.tcp://lb@10.0.0.2:4053"]
            """);
        var c = ClusterHocon.Build(file, debug: false, NoEnv);
        Assert.False(ClusterHocon.IsStandalone(c));
        Assert.Equal(4053, c.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("cluster", c.GetString("akka.actor.provider"));
    }

    [Fact]
    public void Build_EnvironmentVariable_WinsOverFile_DebugWinsOverAll()
    {
        var file = _dir.File("cluster.hocon", "akka.remote.dot-netty.tcp.port = 4053\nakka.loglevel = WARNING\n");
        var env = (string name) => name == ClusterHocon.EnvironmentVariable ? "akka.remote.dot-netty.tcp.public-hostname = lb2" : null;
        var c = ClusterHocon.Build(file, debug: true, env);
        Assert.Equal("lb2", c.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal(4053, c.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("DEBUG", c.GetString("akka.loglevel"));
    }

    [Fact]
    public void Build_MissingFile_Throws()
    {
        var missing = _dir.Combine("none.hocon");
        var e = Assert.Throws<ClusterConfigException>(() => ClusterHocon.Build(missing, false, NoEnv));
        Assert.Equal($"Cannot open cluster file {missing} : No such file or directory", e.Message);
    }

    [Fact]
    public void Build_InvalidHocon_ThrowsNamingTheFile()
    {
        // Akka's HOCON parser is lenient about syntax; an unresolved substitution is an error.
        var file = _dir.File("cluster.hocon", "akka.remote.dot-netty.tcp.port = ${NO_SUCH_SETTING}\n");
        var e = Assert.Throws<ClusterConfigException>(() => ClusterHocon.Build(file, false, NoEnv));
        Assert.StartsWith($"invalid HOCON in {file}", e.Message);
    }

    [Fact]
    public void Locate_ExplicitFile_WinsEvenIfMissing()
    {
        var cl = CommandLine.Parse(new[] { "-f", _dir.File("haproxy.cfg", ""), "--cluster", "/x/y.hocon" });
        Assert.Equal("/x/y.hocon", ClusterHocon.Locate(cl));
    }

    [Fact]
    public void Locate_BesideFirstConfigFile()
    {
        var cfg = _dir.File("haproxy.cfg", "");
        var hocon = _dir.File("cluster.hocon", "");
        Assert.Equal(hocon, ClusterHocon.Locate(CommandLine.Parse(new[] { "-f", cfg })));
    }

    [Fact]
    public void Locate_InsideFirstConfigDirectory()
    {
        var hocon = _dir.File("cluster.hocon", "");
        Assert.Equal(hocon, ClusterHocon.Locate(CommandLine.Parse(new[] { "-f", _dir.Path })));
    }

    [Fact]
    public void Locate_NoClusterFile_ReturnsNull()
    {
        var cfg = _dir.File("haproxy.cfg", "");
        Assert.Null(ClusterHocon.Locate(CommandLine.Parse(new[] { "-f", cfg })));
    }

    [Fact]
    public void RootClusterHocon_IsAStandaloneNodeOnPort0()
    {
        var c = ClusterHocon.Build(Path.Combine(Samples.RepoRoot, "cluster.hocon"), false, NoEnv);
        Assert.True(ClusterHocon.IsStandalone(c));
        Assert.Equal("127.0.0.1", c.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(0, c.GetInt("akka.remote.dot-netty.tcp.port"));
    }

    [Fact]
    public void DockerClusterHocon_NamesThreeSeeds()
    {
        var c = ClusterHocon.Build(Path.Combine(Samples.RepoRoot, "docker", "cluster.hocon"), false, NoEnv);
        Assert.Equal(3, c.GetStringList("akka.cluster.seed-nodes").Count);
        Assert.Equal(4053, c.GetInt("akka.remote.dot-netty.tcp.port"));
    }
}
