using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Lb.Tests.Node;

public class PortInUseTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Start_PortAlreadyInUse_ExitsNonZeroNamingTheAddress()
    {
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        try
        {
            int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
            var cfg = _dir.File("haproxy.cfg", Samples.Minimal.Replace("bind 127.0.0.1:", $"bind 127.0.0.1:{port} #"));
            var (code, _, stderr) = await NodeProcess.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "-f", cfg);
            Assert.NotEqual(0, code);
            Assert.Contains($"cannot bind 127.0.0.1:{port}", stderr);
        }
        finally
        {
            squatter.Stop();
        }
    }
}
