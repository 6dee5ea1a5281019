using Xunit;

namespace Lb.Tests.Node;

/// <summary>A running node: pidfile, cluster start and graceful stop on SIGTERM/SIGINT.</summary>
public class NodeSignalTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    // Leaving the cluster takes a few seconds; a machine loaded by parallel tests needs more.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);
    private const string Ready = "frontends listening";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sigterm_AfterPidfileAppears_Exits0AndRemovesPidfile()
    {
        var cfg = _dir.File("haproxy.cfg", Samples.Minimal);
        var pidFile = _dir.Combine("run", "lb.pid");
        using var node = NodeProcess.Start(_dir.Path, "-f", cfg, "-p", pidFile);

        await node.WaitUntilAsync(() => File.Exists(pidFile), StartTimeout, "pidfile");
        Assert.Equal(node.Pid.ToString(), (await ReadWhenWritten(pidFile)).Trim());

        node.Signal(NodeProcess.SIGTERM);
        var code = await node.WaitForExitAsync(StopTimeout);
        Assert.True(code == 0, $"exit code {code?.ToString() ?? "none (still running)"}\n{node.Output}");
        Assert.False(File.Exists(pidFile), "pidfile still exists");
    }

    [Fact]
    public async Task Sigint_WhenClusterIsUp_LeavesTheClusterAndExits0()
    {
        var cfg = _dir.File("haproxy.cfg", Samples.Minimal);
        using var node = NodeProcess.Start(_dir.Path, "-f", cfg);

        await node.WaitUntilAsync(() => node.StdOut.Contains(Ready) && node.StdOut.Contains("to [Up]"), StartTimeout, "cluster up");
        Assert.Matches(@"Remoting started; listening on addresses : \[akka\.tcp://lb@127\.0\.0\.1:\d+\]", node.StdOut);
        Assert.Contains("/user/lb] ready: ", node.StdOut);

        node.Signal(NodeProcess.SIGINT);
        var code = await node.WaitForExitAsync(StopTimeout);
        Assert.True(code == 0, $"exit code {code?.ToString() ?? "none (still running)"}\n{node.Output}");
        Assert.Contains("Exiting completed", node.StdOut);
        Assert.Matches(@"\[NOTICE\]   \(\d+\) : SIGINT received: stopping", node.StdErr);
    }

    [Fact]
    public async Task DebugFlag_LogsAtDebugLevel()
    {
        var cfg = _dir.File("haproxy.cfg", Samples.Minimal);
        using var node = NodeProcess.Start(_dir.Path, "-d", "-f", cfg);

        await node.WaitUntilAsync(() => node.StdOut.Contains(Ready), StartTimeout, "start");
        Assert.Contains("[DEBUG]", node.StdOut);
        node.Signal(NodeProcess.SIGTERM);
        Assert.Equal(0, await node.WaitForExitAsync(StopTimeout));
    }

    [Fact]
    public async Task TwoStandaloneNodes_RunSideBySide()
    {
        // Each node has its own frontend port; what they must not share is a cluster port.
        using var a = NodeProcess.Start(_dir.Path, "-f", _dir.File("a.cfg", Samples.Minimal));
        using var b = NodeProcess.Start(_dir.Path, "-f", _dir.File("b.cfg", Samples.Minimal));

        await a.WaitUntilAsync(() => a.StdOut.Contains(Ready), StartTimeout, "node a start");
        await b.WaitUntilAsync(() => b.StdOut.Contains(Ready), StartTimeout, "node b start");
        a.Signal(NodeProcess.SIGTERM);
        b.Signal(NodeProcess.SIGTERM);
        Assert.Equal(0, await a.WaitForExitAsync(StopTimeout));
        Assert.Equal(0, await b.WaitForExitAsync(StopTimeout));
    }

    [Fact]
    public async Task GlobalPidfileAndDaemon_PidfileWrittenDaemonWarned()
    {
        var pidFile = _dir.Combine("run", "lb.pid");
        var cfg = _dir.File("haproxy.cfg", $"global\n    daemon\n    pidfile {pidFile}\n\n" + Samples.Minimal);
        using var node = NodeProcess.Start(_dir.Path, "-f", cfg);

        await node.WaitUntilAsync(() => File.Exists(pidFile), StartTimeout, "pidfile");
        Assert.Matches(@"\[WARNING\]  \(\d+\) : config : 'daemon' is ignored: Lb always runs in the foreground \(use systemd or a container to detach\)\.", node.StdErr);
        node.Signal(NodeProcess.SIGTERM);
        Assert.Equal(0, await node.WaitForExitAsync(StopTimeout));
        Assert.False(File.Exists(pidFile));
    }

    /// <summary>The file appears before its content is flushed; read until it is non-empty.</summary>
    private static async Task<string> ReadWhenWritten(string path)
    {
        for (int i = 0; i < 100; i++)
        {
            var text = await File.ReadAllTextAsync(path);
            if (text.EndsWith('\n')) return text;
            await Task.Delay(20);
        }
        return await File.ReadAllTextAsync(path);
    }
}
