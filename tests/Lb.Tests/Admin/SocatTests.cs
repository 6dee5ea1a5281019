using System.Diagnostics;
using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Admin;

/// <summary>
/// The seed article's maintenance commands, run as printed with the real socat (Debian package,
/// installed by test.sh): 'echo "help"| socat stdio SOCK', 'echo "show info;show stat" | socat
/// SOCK stdio', 'echo "disable server BE/SRV" | socat SOCK stdio' and the matching enable.
/// </summary>
public sealed class SocatTests : IClassFixture<ProxyFixture>, IDisposable
{
    private readonly ProxyFixture _fixture;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lb-socat-");

    public SocatTests(ProxyFixture fixture) => _fixture = fixture;

    public void Dispose() => _dir.Delete(recursive: true);

    private static async Task<string> Shell(string command)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
        Assert.True(p.ExitCode == 0, $"'{command}' exited {p.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static async Task<string> Retry(string command)
    {
        string output = "";
        for (int i = 0; i < 3 && output.Length == 0; i++) output = await Shell(command);
        return output;
    }

    [Fact]
    public async Task SeedArticleCommands_RealSocat_WorkAsPrinted()
    {
        await using var node11 = TestServer.Start("hongbao-node11", Backend);
        await using var node12 = TestServer.Start("hongbao-node12", Backend);
        var sock = Path.Combine(_dir.FullName, "haproxy.sock");
        int fe = FreePort();
        await using var lb = await RunningProxy.StartLbAsync(_fixture.System, $"""
            global
                maxconn 100000
                stats socket {sock} mode 600 level admin
                stats timeout 2m

            defaults
                option http-keep-alive
                maxconn 100000
                mode http
                timeout connect 5000ms
                timeout client  50000ms
                timeout server 50000ms

            frontend f_yxpopo_com
                bind 127.0.0.1:{fe}
                default_backend b_yxpopo_com

            backend b_yxpopo_com
                balance roundrobin
                server hongbao-node11 {node11.Address} check inter 2000 rise 3 fall 3
                server hongbao-node12 {node12.Address} check inter 2000 rise 3 fall 3

            """);

        // socat ends half a second after its input ends, answer or not: on a machine busy with
        // other test processes the first answer may miss that window, so a read-only command
        // gets up to three tries (an answer that never comes still fails).
        var help = await Retry($"echo \"help\"| socat stdio {sock}");
        Assert.StartsWith("The following commands are valid at this level:\n", help);
        foreach (var cmd in new[] { "show info", "show stat", "show sess", "show table", "get weight", "set weight", "set server", "disable server", "enable server", "shutdown session", "clear counters", "prompt", "quit" })
            Assert.Contains("\n  " + cmd, help);

        var both = await Retry($"echo \"show info;show stat\" | socat {sock} stdio");
        Assert.Matches("^Name: Lb\nVersion: \\S+\n", both);
        Assert.Contains("\nPid: ", both);
        Assert.Contains("\n\n# pxname,svname,qcur,qmax,", both);
        var stat = both[both.IndexOf("# pxname", StringComparison.Ordinal)..];
        var rows = ParseCsv(stat).Rows;
        Assert.Equal("OPEN", rows[("f_yxpopo_com", "FRONTEND")]["status"]);
        Assert.StartsWith("UP", rows[("b_yxpopo_com", "hongbao-node11")]["status"]);
        Assert.Equal("UP", rows[("b_yxpopo_com", "BACKEND")]["status"]);

        Assert.Equal("\n", await Shell($"echo \"disable server b_yxpopo_com/hongbao-node11\" | socat {sock} stdio"));
        rows = ParseCsv(await Shell($"echo \"show stat\" | socat {sock} stdio")).Rows;
        Assert.Equal("MAINT", rows[("b_yxpopo_com", "hongbao-node11")]["status"]);
        for (int i = 0; i < 4; i++) Assert.Contains("x-server: hongbao-node12", await ExchangeAsync(fe, Get("/")));

        Assert.Equal("\n", await Shell($"echo \"enable server b_yxpopo_com/hongbao-node11\" | socat {sock} stdio"));
        rows = ParseCsv(await Shell($"echo \"show stat\" | socat {sock} stdio")).Rows;
        Assert.NotEqual("MAINT", rows[("b_yxpopo_com", "hongbao-node11")]["status"]);
        var seen = new HashSet<string>();
        for (int i = 0; i < 4; i++)
        {
            var r = await ExchangeAsync(fe, Get("/"));
            seen.Add(r.Split("\r\n").First(l => l.StartsWith("x-server:", StringComparison.Ordinal))[9..].Trim());
        }
        Assert.Equal(["hongbao-node11", "hongbao-node12"], seen.Order());
    }
}
