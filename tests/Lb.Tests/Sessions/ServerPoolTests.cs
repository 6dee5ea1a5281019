using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Lb.Actors.Backends;
using Lb.Actors.Sessions;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Sessions;

/// <summary>A server's idle connection pool over real loopback connections: admission, order, checks, purge.</summary>
public sealed class ServerPoolTests : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _peers = new();

    public ServerPoolTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
    }

    public void Dispose()
    {
        foreach (var p in _peers) p.Dispose();
        _listener.Dispose();
    }

    private static ServerRuntime Server(params (string Key, string Value)[] options)
    {
        var others = options.ToDictionary(o => o.Key, o => o.Value).ToImmutableDictionary();
        var server = new ServerRuntime(new Server { Name = "s1", OtherOptions = others }, "be", 1, new IPEndPoint(IPAddress.Loopback, 1));
        server.Pool.CheckIdleAfter = 0; // every take checks (the tests take right after parking)
        return server;
    }

    /// <summary>A connected channel (busy, as after its first request) and the server's end of it.</summary>
    private (ServerChannel Channel, Socket Peer) Connect(ServerRuntime server, int uses = 1)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(_listener.LocalEndPoint!);
        var peer = _listener.Accept();
        _peers.Add(peer);
        server.ConnectionOpened();
        return (new ServerChannel(client, server, 1024) { Uses = uses }, peer);
    }

    [Fact]
    public void TryTake_ConnectionTheServerClosed_DroppedNotReturned()
    {
        var server = Server();
        var (a, peerA) = Connect(server);
        Assert.True(server.Pool.TryPark(a));
        peerA.Close(); // the server ends the idle connection
        Assert.True(SpinWait.SpinUntil(() => !a.IsReusable(), TimeSpan.FromSeconds(5)));
        Assert.Null(server.Pool.TryTake());
        Assert.Equal((0, 0, 0L), (server.Pool.IdleCount, server.Pool.UsedCount, server.OpenConnections));
    }

    [Fact]
    public void TryTake_RecentlyParked_HandedOutWithoutTheCheck()
    {
        var server = Server();
        server.Pool.CheckIdleAfter = 60_000;
        var (a, peerA) = Connect(server);
        Assert.True(server.Pool.TryPark(a));
        peerA.Close();
        Assert.True(SpinWait.SpinUntil(() => !a.IsReusable(), TimeSpan.FromSeconds(5)));
        // Idle for less than a minute: not polled (the session retries on a new connection if it fails).
        Assert.Same(a, server.Pool.TryTake());
    }

    [Fact]
    public void TryTake_ConnectionWithUnexpectedBytes_Dropped()
    {
        var server = Server();
        var (a, peerA) = Connect(server);
        Assert.True(server.Pool.TryPark(a));
        peerA.Send("HTTP/1.1 200 OK\r\n"u8.ToArray()); // nobody asked
        Assert.True(SpinWait.SpinUntil(() => !a.IsReusable(), TimeSpan.FromSeconds(5)));
        Assert.Null(server.Pool.TryTake());
    }

    [Fact]
    public void TryTake_SafeConnectionsFirstThenIdle_OldestFirst()
    {
        var server = Server(("pool-low-conn", "10")); // keep everything parked here
        var idle1 = Connect(server).Channel;
        var idle2 = Connect(server).Channel;
        var safe1 = Connect(server, uses: 3).Channel;
        var safe2 = Connect(server, uses: 2).Channel;
        foreach (var c in new[] { idle1, idle2, safe1, safe2 }) Assert.True(server.Pool.TryPark(c));
        Assert.Same(safe1, server.Pool.TryTake());
        Assert.Same(safe2, server.Pool.TryTake());
        Assert.Null(server.Pool.TryTake(safeOnly: true));
        Assert.Same(idle1, server.Pool.TryTake());
        Assert.Same(idle2, server.Pool.TryTake());
        Assert.Equal((0, 4), (server.Pool.IdleCount, server.Pool.UsedCount));
    }

    [Fact]
    public void TryPark_NoNeedSeenYet_KeepsOnlyWhatHaproxyKeeps()
    {
        var server = Server();
        var a = Connect(server).Channel;
        var b = Connect(server).Channel;
        var c = Connect(server, uses: 2).Channel;
        Assert.True(server.Pool.TryPark(a));   // nothing idle: kept
        Assert.False(server.Pool.TryPark(b));  // a first-use one already idle, and no need measured yet
        Assert.True(server.Pool.TryPark(c));   // a safe one when none is idle: kept
        b.Dispose();
        // Three were busy at once: after a purge the pool keeps up to that many.
        server.Pool.Purge();
        var d = Connect(server).Channel;
        Assert.True(server.Pool.TryPark(d));
        Assert.Equal(3, server.Pool.IdleCount);
    }

    [Fact]
    public void Purge_ClosesHalfOfWhatExceedsTheNeed()
    {
        var server = Server(("pool-low-conn", "10"));
        var channels = Enumerable.Range(0, 8).Select(_ => Connect(server).Channel).ToList();
        foreach (var c in channels) Assert.True(server.Pool.TryPark(c));
        // haproxy's arithmetic: the need is the most connections used since the last purge, or a
        // decaying estimate of it; half (rounded up) of what exceeds it closes at each purge.
        var closed = Enumerable.Range(0, 7).Select(_ => server.Pool.Purge()).ToArray();
        Assert.Equal([0, 0, 2, 2, 2, 1, 1], closed);
        Assert.Equal(0, server.Pool.IdleCount);
        Assert.Equal(0L, server.OpenConnections);
    }

    [Fact]
    public void Purge_DropsConnectionsTheServerClosed()
    {
        var server = Server(("pool-low-conn", "10"));
        var (a, peerA) = Connect(server);
        var (b, _) = Connect(server);
        Assert.True(server.Pool.TryPark(a));
        Assert.True(server.Pool.TryPark(b));
        server.Pool.Purge(); // records the need (2): nothing in excess
        peerA.Close();
        Assert.True(SpinWait.SpinUntil(() => !a.IsReusable(), TimeSpan.FromSeconds(5)));
        Assert.Equal(1, server.Pool.Purge());
        Assert.Same(b, server.Pool.TryTake());
    }

    [Theory]
    [InlineData("pool-max-conn", "0")]
    [InlineData("pool-purge-delay", "0")]
    public void TryPark_PoolDisabled_NothingKept(string option, string value)
    {
        var server = Server((option, value));
        Assert.False(server.Pool.KeepsIdle);
        Assert.False(server.Pool.TryPark(Connect(server).Channel));
    }

    [Fact]
    public void TryPark_PoolMaxConn_Bounded()
    {
        var server = Server(("pool-max-conn", "2"), ("pool-low-conn", "10"));
        var kept = Enumerable.Range(0, 4).Count(_ => server.Pool.TryPark(Connect(server).Channel));
        Assert.Equal(2, kept);
    }

    [Fact]
    public void Drain_ClosesEveryIdleConnection()
    {
        var server = Server(("pool-low-conn", "10"));
        for (int i = 0; i < 3; i++) Assert.True(server.Pool.TryPark(Connect(server).Channel));
        Assert.Equal(3, server.Pool.Drain());
        Assert.Equal((0, 0L), (server.Pool.IdleCount, server.OpenConnections));
    }

    [Fact]
    public void HttpReuse_ReadFromTheBackend_SafeByDefault()
    {
        Assert.Equal(HttpReuse.Safe, HttpReuseSettings.Of(new Proxy()));
        var never = new Proxy { OtherDirectives = [new Directive(["http-reuse", "always"], default), new Directive(["http-reuse", "never"], default)] };
        Assert.Equal(HttpReuse.Never, HttpReuseSettings.Of(never));
    }
}
