using System.Net;
using System.Net.Sockets;
using System.Text;
using Lb.Tests.DataPlane;
using Xunit;

namespace Lb.Tests.Rules;

/// <summary>
/// mode tcp through real sockets: use_backend on the connection's addresses (src, dst_port) and
/// tcp-request connection reject. Run with LB_DATAPLANE_PROXY=haproxy to check the test itself
/// against the real haproxy.
/// </summary>
public sealed class TcpRoutingTests : IClassFixture<ProxyFixture>
{
    private readonly ProxyFixture _fx;

    public TcpRoutingTests(ProxyFixture fx) => _fx = fx;

    /// <summary>The first line the chosen server sends, or "closed" when the proxy closes first.</summary>
    private static async Task<string> BannerFrom(int port, string source)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        var buf = new byte[64];
        var text = new StringBuilder();
        try
        {
            while (!text.ToString().Contains('\n'))
            {
                int n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                if (n == 0) return "closed";
                text.Append(Encoding.ASCII.GetString(buf, 0, n));
            }
        }
        catch (SocketException) { return "closed"; }
        return text.ToString().Split('\n')[0];
    }

    [Fact]
    public async Task UseBackend_OnSourceAndDestinationPort_RejectBySource()
    {
        await using var a = TestServer.Start("a", Handlers.Banner("a"));
        await using var b = TestServer.Start("b", Handlers.Banner("b"));
        await using var c = TestServer.Start("c", Handlers.Banner("c"));
        int fe = Ports.Free(), fe2 = Ports.Free();
        await using var proxy = await _fx.StartAsync($"""
            global
                nbthread 1
            defaults
                mode tcp
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:{fe}
                bind 127.0.0.1:{fe2}
                acl from_seven src 127.0.0.7 127.0.0.70/31
                tcp-request connection reject if {"{"} src 127.0.0.9 {"}"}
                use_backend be_b if from_seven
                use_backend be_c if {"{"} dst_port {fe2} {"}"}
                default_backend be_a
            backend be_a
                server a {a.Address}
            backend be_b
                server b {b.Address}
            backend be_c
                server c {c.Address}

            """);
        Assert.Equal("a", await BannerFrom(fe, "127.0.0.1"));
        Assert.Equal("b", await BannerFrom(fe, "127.0.0.7"));
        Assert.Equal("b", await BannerFrom(fe, "127.0.0.71"));
        Assert.Equal("b", await BannerFrom(fe2, "127.0.0.7"));   // first matching rule wins
        Assert.Equal("c", await BannerFrom(fe2, "127.0.0.1"));
        Assert.Equal("closed", await BannerFrom(fe, "127.0.0.9"));
        Assert.Equal(0, c.Accepts - 1); // only the one connection meant for it
    }
}
