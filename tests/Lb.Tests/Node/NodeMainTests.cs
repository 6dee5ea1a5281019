using Lb.Node;
using Xunit;

namespace Lb.Tests.Node;

/// <summary>The paths of NodeMain that end before an ActorSystem starts, run in-process.</summary>
public class NodeMainTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private NodeConsole Console => new(_out, _err, 7);
    private static readonly Func<string, string?> NoEnv = _ => null;

    public void Dispose() => _dir.Dispose();

    private Task<int> Run(params string[] args) => NodeMain.RunAsync(args, Console, NoEnv);

    [Fact]
    public async Task Run_Version_PrintsLineAndReturns0()
    {
        Assert.Equal(0, await Run("-v"));
        Assert.Matches(@"^Lb version \d+\.\d+\.\d+ \(HAProxy 2\.6 compatible configuration\)\r?\n$", _out.ToString());
    }

    [Fact]
    public async Task Run_Help_PrintsUsageToStdoutAndReturns0()
    {
        Assert.Equal(0, await Run("--help"));
        Assert.StartsWith("Usage : Lb.Node", _out.ToString());
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public async Task Run_NoArguments_AlertsWithUsageAndReturns1()
    {
        Assert.Equal(1, await Run());
        Assert.StartsWith("[ALERT]    (7) : No configuration file specified", _err.ToString());
        Assert.Contains("Usage : Lb.Node", _err.ToString());
    }

    [Fact]
    public async Task Run_MissingClusterFile_AlertsAndReturns1()
    {
        var cfg = _dir.File("haproxy.cfg", Samples.Minimal);
        var missing = _dir.Combine("nope.hocon");
        Assert.Equal(1, await Run("-f", cfg, "--cluster", missing));
        Assert.Equal($"[ALERT]    (7) : cluster : Cannot open cluster file {missing} : No such file or directory" + Environment.NewLine, _err.ToString());
    }

    [Fact]
    public async Task Run_MissingConfig_WithoutCheck_AlertsAndReturns1()
    {
        Assert.Equal(1, await Run("-f", _dir.Combine("nope.cfg")));
        Assert.EndsWith("[ALERT]    (7) : config : Fatal errors found in configuration." + Environment.NewLine, _err.ToString());
    }
}
