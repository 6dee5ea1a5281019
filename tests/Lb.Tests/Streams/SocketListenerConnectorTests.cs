using System.Net;
using System.Net.Sockets;
using Lb.Actors.Streams;
using Xunit;

namespace Lb.Tests.Streams;

public class SocketListenerConnectorTests
{
    private static readonly TimeSpan T = Loopback.Timeout;

    [Fact]
    public async Task Bind_AcceptsConnections_AndHandsSocketsToCallback()
    {
        var accepted = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), s => accepted.TrySetResult(s));
        Assert.NotEqual(0, ((IPEndPoint)listener.LocalEndPoint).Port);

        using var client = await SocketConnector.ConnectAsync(listener.LocalEndPoint, T);
        using var server = await accepted.Task.WaitAsync(T);
        Assert.True(client.NoDelay);
        Assert.True(server.NoDelay);
        Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);
    }

    [Fact]
    public async Task Bind_CallbackThrows_SocketIsClosed_ErrorReported_LoopGoesOn()
    {
        var errors = new List<Exception>();
        var calls = 0;
        using var listener = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), s =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("full");
            s.Dispose();
        }, onError: e => { lock (errors) errors.Add(e); });

        using var first = await SocketConnector.ConnectAsync(listener.LocalEndPoint, T);
        Assert.Empty(await Loopback.ReadToEnd(first).WaitAsync(T)); // closed by the listener
        using var second = await SocketConnector.ConnectAsync(listener.LocalEndPoint, T);
        Assert.Empty(await Loopback.ReadToEnd(second).WaitAsync(T));
        Assert.Equal(2, Volatile.Read(ref calls));
        lock (errors) Assert.IsType<InvalidOperationException>(Assert.Single(errors));
    }

    [Fact]
    public async Task Bind_IPv6Loopback_Works()
    {
        if (!Socket.OSSupportsIPv6) return;
        SocketListener listener;
        try
        {
            listener = SocketListener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0), s => s.Dispose());
        }
        catch (SocketBindException e) when (e.SocketError == SocketError.AddressNotAvailable)
        {
            return; // ::1 not configured in this container
        }
        using (listener)
        {
            using var client = await SocketConnector.ConnectAsync(listener.LocalEndPoint, T);
            Assert.Equal(AddressFamily.InterNetworkV6, client.AddressFamily);
            Assert.StartsWith("SocketListener([::1]:", listener.ToString());
        }
    }

    [Fact]
    public void Bind_PortAlreadyInUse_ThrowsNamingTheAddress()
    {
        using var first = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), s => s.Dispose());
        var ep = (IPEndPoint)first.LocalEndPoint;

        var ex = Assert.Throws<SocketBindException>(() => SocketListener.Bind(ep, s => s.Dispose()));
        Assert.Equal(SocketError.AddressAlreadyInUse, ex.SocketError);
        Assert.Equal(ep, ex.EndPoint);
        Assert.Equal($"cannot bind 127.0.0.1:{ep.Port}: address already in use", ex.Message);
    }

    [Fact]
    public async Task Stop_ClosesListener_NewConnectionsAreRefused()
    {
        var listener = SocketListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), s => s.Dispose());
        var ep = listener.LocalEndPoint;
        listener.Stop();
        listener.Stop(); // idempotent
        await listener.Completion.WaitAsync(T);
        listener.Dispose();

        var ex = await Assert.ThrowsAsync<SocketConnectException>(() => SocketConnector.ConnectAsync(ep, T));
        Assert.Equal(ConnectFailure.Refused, ex.Reason);
    }

    [Fact]
    public async Task Connect_NothingListening_ThrowsRefused()
    {
        // a bound but not listening socket keeps the port ours and answers SYN with RST
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ep = holder.LocalEndPoint!;

        var ex = await Assert.ThrowsAsync<SocketConnectException>(() => SocketConnector.ConnectAsync(ep, T));
        Assert.Equal(ConnectFailure.Refused, ex.Reason);
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketError);
        Assert.Equal(ep, ex.EndPoint);
        Assert.Contains("connection refused", ex.Message);
    }

    [Fact]
    public async Task Connect_NoAnswer_ThrowsTimedOut_AndCallerCancelIsNotATimeout()
    {
        // backlog 0: Linux queues one connection; with the accept queue full, further SYNs are dropped
        using var listener = Loopback.RawListener(backlog: 0);
        var fillers = new List<Socket>();
        try
        {
            SocketConnectException? timedOut = null;
            for (var i = 0; i < 4 && timedOut is null; i++)
            {
                try
                {
                    fillers.Add(await SocketConnector.ConnectAsync(listener.LocalEndPoint!, TimeSpan.FromMilliseconds(300)));
                }
                catch (SocketConnectException e)
                {
                    timedOut = e;
                }
            }
            Assert.NotNull(timedOut);
            Assert.Equal(ConnectFailure.TimedOut, timedOut.Reason);
            Assert.Contains("timed out", timedOut.Message);

            using var cts = new CancellationTokenSource(200);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => SocketConnector.ConnectAsync(listener.LocalEndPoint!, TimeSpan.FromSeconds(30), cts.Token));
        }
        finally
        {
            foreach (var s in fillers) s.Dispose();
        }
    }
}
