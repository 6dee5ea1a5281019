using System.Net;
using System.Net.Sockets;
using System.Text;
using Lb.Actors.Health;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Health;

/// <summary>The probe itself on loopback sockets: each layer-4 and layer-7 outcome.</summary>
public sealed class CheckProbeTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    /// <summary>Checks that expect an answer get a long timeout: the in-test server may be slow on a busy machine.</summary>
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    private static CheckTarget Target(int port, HttpCheckSettings? http = null, bool sendProxy = false, TimeSpan? timeout = null) =>
        new(new IPEndPoint(IPAddress.Loopback, port), timeout ?? Long, timeout ?? Long, http, sendProxy);

    private static Socket Listen()
    {
        var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(16);
        return l;
    }

    private static int PortOf(Socket l) => ((IPEndPoint)l.LocalEndPoint!).Port;

    /// <summary>Accepts one connection, reads the request head, answers <paramref name="response"/> (null: never answers).</summary>
    private static async Task<string> ServeOnce(Socket listener, string? response)
    {
        using var c = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(5));
        var buf = new byte[4096];
        int len = 0;
        while (!Encoding.Latin1.GetString(buf, 0, len).Contains("\r\n\r\n"))
        {
            int n = await c.ReceiveAsync(buf.AsMemory(len), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            if (n == 0) break;
            len += n;
        }
        if (response != null) await c.SendAsync(Encoding.Latin1.GetBytes(response), SocketFlags.None);
        else
        {
            // Silent until the probe gives up and closes (bounded): a late timer must still see no answer.
            try { await c.ReceiveAsync(buf, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is SocketException or TimeoutException) { }
        }
        return Encoding.Latin1.GetString(buf, 0, len);
    }

    [Fact]
    public async Task Tcp_Listening_IsL4Ok()
    {
        using var l = Listen();
        var r = await CheckProbe.RunAsync(Target(PortOf(l)), null, true, default);
        Assert.Equal(CheckStatus.L4Ok, r.Status);
    }

    [Fact]
    public async Task Tcp_Check_NeverReachesTheServersAcceptQueue()
    {
        using var l = Listen();
        for (int i = 0; i < 5; i++)
            Assert.Equal(CheckStatus.L4Ok, (await CheckProbe.RunAsync(Target(PortOf(l)), null, true, default)).Status);
        int queued = 0;
        while (l.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead)) { l.Accept().Dispose(); queued++; }
        // The reset must beat the kernel's delayed ACK (40 ms and more): a very busy machine may
        // lose that race now and then; without the trick every check would be queued.
        Assert.True(queued <= 2, $"{queued} of 5 check connections reached accept()");
    }

    [Fact]
    public async Task Tcp_ClosedPort_IsL4ConConnectionRefused()
    {
        int port;
        using (var l = Listen()) port = PortOf(l);
        var r = await CheckProbe.RunAsync(Target(port), null, true, default);
        Assert.Equal((CheckStatus.L4Con, "Connection refused"), (r.Status, r.Info));
    }

    [Fact]
    public async Task Http_500_IsL7StsWithCodeAndReason()
    {
        using var l = Listen();
        var served = ServeOnce(l, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
        var r = await CheckProbe.RunAsync(Target(PortOf(l), new HttpCheckSettings { Enabled = true, Uri = "/health" }), null, true, default);
        Assert.Equal((CheckStatus.L7Sts, 500, "Internal Server Error"), (r.Status, r.Code, r.Info));
        Assert.Equal("OPTIONS /health HTTP/1.0\r\n\r\n", await served);
    }

    [Fact]
    public async Task Http_NoAnswer_IsL7TimeoutAfterTheReadTimeout()
    {
        using var l = Listen();
        var served = ServeOnce(l, null);
        var r = await CheckProbe.RunAsync(Target(PortOf(l), new HttpCheckSettings { Enabled = true }, timeout: Short), null, true, default);
        Assert.Equal(CheckStatus.L7Tout, r.Status);
        Assert.InRange(r.Duration.TotalMilliseconds, Short.TotalMilliseconds * 0.9, 5000); // not before the read timeout
        await served;
    }

    [Fact]
    public async Task Http_CheckSendProxy_PrefixesAProxyV1Line()
    {
        using var l = Listen();
        var served = ServeOnce(l, "HTTP/1.0 200 OK\r\n\r\n");
        var r = await CheckProbe.RunAsync(Target(PortOf(l), new HttpCheckSettings { Enabled = true }, sendProxy: true), null, true, default);
        Assert.Equal(CheckStatus.L7Ok, r.Status);
        Assert.Matches($@"^PROXY TCP4 127\.0\.0\.1 127\.0\.0\.1 \d+ {PortOf(l)}\r\nOPTIONS / HTTP/1\.0\r\n\r\n$", await served);
    }
}
