using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Lb.Actors;
using Lb.Config;
using Lb.Tests.Node;
using Xunit;

namespace Lb.Tests.Sessions;

/// <summary>Server 'maxconn' with its queue and 'timeout queue', through a real node on loopback.</summary>
public class ServerQueueTests : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("queue-test", "akka.loglevel = WARNING");
    private readonly SlowHttpBackend _backend = new(TimeSpan.FromMilliseconds(600));
    private int _port;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _backend.Dispose();
        await _system.Terminate();
    }

    private async Task StartAsync(string queueTimeout)
    {
        _port = Samples.FreePort();
        var result = ConfigLoader.LoadText($"""
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
                timeout queue {queueTimeout}
            frontend fe
                bind 127.0.0.1:{_port}
                default_backend app
            backend app
                server s1 127.0.0.1:{_backend.Port} maxconn 1
            """);
        Assert.True(result.Success, string.Join("\n", result.Alerts));
        var started = new TaskCompletionSource<IReadOnlyList<string>>();
        _system.ActorOf(LbRoot.Props(result.Config!, started), LbRoot.Name);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<int> GetStatusAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        var buf = new byte[4096];
        var text = new StringBuilder();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n;
        while ((n = await stream.ReadAsync(buf, cts.Token)) > 0) text.Append(Encoding.Latin1.GetString(buf, 0, n));
        var line = text.ToString();
        return int.Parse(line.Split(' ')[1]);
    }

    [Fact]
    public async Task MaxconnOne_TwoClients_SecondWaitsInQueueAndServerSeesOneAtATime()
    {
        await StartAsync("5s");
        var statuses = await Task.WhenAll(GetStatusAsync(), GetStatusAsync(), GetStatusAsync());
        Assert.Equal(new[] { 200, 200, 200 }, statuses);
        Assert.Equal(1, _backend.MaxConcurrent);
    }

    [Fact]
    public async Task MaxconnOne_QueueTimeoutShorterThanResponse_SecondGets503()
    {
        await StartAsync("200ms");
        var statuses = await Task.WhenAll(GetStatusAsync(), GetStatusAsync());
        Array.Sort(statuses);
        Assert.Equal(new[] { 200, 503 }, statuses);
    }
}
