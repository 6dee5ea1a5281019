using System.Diagnostics;
using Xunit;

namespace Lb.Tests.Node;

/// <summary>The built executable, run as a child process, in its one-shot modes.</summary>
public class NodeProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Check_ValidConfig_Exits0AndSaysValid()
    {
        var cfg = _dir.File("haproxy.cfg", Samples.Minimal);
        var (code, stdout, stderr) = await NodeProcess.RunAsync(_dir.Path, Timeout, "-c", "-f", cfg);
        Assert.True(code == 0, stderr);
        Assert.Contains("Configuration file is valid", stdout);
    }

    [Fact]
    public async Task Check_NonexistentFile_Exits1WithAlerts()
    {
        var missing = _dir.Combine("missing.cfg");
        var (code, stdout, stderr) = await NodeProcess.RunAsync(_dir.Path, Timeout, "-c", "-f", missing);
        Assert.Equal(1, code);
        Assert.Matches(@"\[ALERT\]    \(\d+\) : config : Cannot open configuration file/directory .*missing\.cfg", stderr);
        Assert.Matches(@"\[ALERT\]    \(\d+\) : config : Fatal errors found in configuration\.", stderr);
        Assert.DoesNotContain("valid", stdout);
    }

    [Fact]
    public async Task Version_Exits0WithVersionLine()
    {
        var (code, stdout, _) = await NodeProcess.RunAsync(_dir.Path, Timeout, "-v");
        Assert.Equal(0, code);
        Assert.Matches(@"^Lb version \d+\.\d+\.\d+ \(HAProxy 2\.6 compatible configuration\)", stdout);
    }

    [Fact]
    public async Task Help_Exits0WithUsage()
    {
        var (code, stdout, _) = await NodeProcess.RunAsync(_dir.Path, Timeout, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage : Lb.Node -f <cfgfile|cfgdir>", stdout);
    }

    [Fact]
    public async Task UnknownFlag_Exits1WithErrorAndUsage()
    {
        var (code, _, stderr) = await NodeProcess.RunAsync(_dir.Path, Timeout, "-f", "x.cfg", "--bogus");
        Assert.Equal(1, code);
        Assert.Contains("unknown option '--bogus'", stderr);
        Assert.Contains("Usage : Lb.Node", stderr);
    }

    [Fact]
    public async Task NoConfig_Exits1()
    {
        var (code, _, stderr) = await NodeProcess.RunAsync(_dir.Path, Timeout);
        Assert.Equal(1, code);
        Assert.Contains("No configuration file specified", stderr);
    }

    [Fact]
    public async Task RootHaproxyCfg_IsValidForLb()
    {
        var (code, stdout, stderr) = await NodeProcess.RunAsync(Samples.RepoRoot, Timeout, "-c", "-f", "haproxy.cfg");
        Assert.True(code == 0, stderr);
        Assert.Contains("Configuration file is valid", stdout);
    }

    [Fact]
    public async Task RootHaproxyCfg_IsValidForHaproxy26()
    {
        const string haproxy = "/usr/sbin/haproxy";
        Assert.True(File.Exists(haproxy), "haproxy is not installed: run ./test.sh, which installs it");
        var psi = new ProcessStartInfo(haproxy, new[] { "-c", "-f", "haproxy.cfg" })
        {
            WorkingDirectory = Samples.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(Timeout);
        Assert.True(p.ExitCode == 0, await stderr);
        Assert.Equal("Configuration file is valid\n", await stdout);
    }
}
