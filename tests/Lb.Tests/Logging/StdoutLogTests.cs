using System.Text.RegularExpressions;
using Lb.Tests.DataPlane;
using Lb.Tests.Node;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>
/// 'log stdout format raw', the container setup: the node, run as a process, writes each log
/// line bare to its standard output.
/// </summary>
public sealed class StdoutLogTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StdoutRaw_TcpLog_BareLineOnStandardOutput()
    {
        await using var echo = TestServer.Start("echo", Handlers.Echo);
        int port = Ports.Free();
        var cfg = _dir.File("haproxy.cfg", $"""
            global
                log stdout format raw local0
            defaults
                mode tcp
                log global
                option tcplog
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:{port}
                default_backend be
            backend be
                server e1 127.0.0.1:{echo.Port}

            """);
        using var node = NodeProcess.Start(_dir.Path, "-f", cfg);
        await node.WaitUntilAsync(() => node.StdOut.Contains("frontends listening"), TimeSpan.FromSeconds(30), "start");

        await LogClient.EchoAsync(port, "ping\n");

        var shape = new Regex(@"^127\.0\.0\.1:\d+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] fe be/e1 \d+/\d+/\d+ 5 -- \d+/\d+/\d+/\d+/0 0/0$", RegexOptions.Multiline);
        await node.WaitUntilAsync(() => shape.IsMatch(node.StdOut), TimeSpan.FromSeconds(10), "the tcplog line on stdout");
        node.Signal(NodeProcess.SIGTERM);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        // and the soft stop's messages follow, in the same raw shape
        Assert.Contains("\nProxy fe stopped (cumulated conns: FE: 1, BE: 0).", "\n" + node.StdOut);
    }
}
