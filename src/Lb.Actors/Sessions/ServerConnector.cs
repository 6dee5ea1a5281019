using System.Net;
using System.Net.Sockets;
using Lb.Actors.Backends;
using Lb.Actors.Streams;

namespace Lb.Actors.Sessions;

/// <summary>Outcome of getting a server connection for a session.</summary>
public sealed record ConnectResult(Socket? Socket, ServerRuntime? Server, ConnectError Error)
{
    public bool Ok => Socket != null;

    /// <summary>For the log: connection retries (%rc), whether one went to another server, and
    /// when the server's slot was obtained (Stopwatch ticks, 0: never; ends %Tw).</summary>
    public int Retries { get; init; }
    public bool Redispatched { get; init; }
    public long SlotTicks { get; init; }

    /// <summary>The last attempt failed by 'timeout connect' (haproxy's "sC"), not refused ("SC").</summary>
    public bool TimedOut { get; init; }
}

public enum ConnectError { None, NoBackend, NoServer, ConnectFailed, QueueTimeout }

/// <summary>
/// Picks a server and connects to it with HAProxy's retry rules: up to 'retries' more attempts
/// on the same server, min(1s, timeout connect) apart; with 'option redispatch' the retry that
/// the redispatch interval designates (by default the last one) goes to another server, at once.
/// </summary>
public static class ServerConnector
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <param name="picked">a server already chosen by the caller (TCP sessions are balanced in accept order)</param>
    public static async Task<ConnectResult> ConnectAsync(BackendHandle? backend, IPEndPoint? clientLocal, CancellationToken ct, ServerRuntime? picked = null)
    {
        if (backend is null) return new ConnectResult(null, null, ConnectError.NoBackend);
        var snap = backend.Snapshot;
        var cfg = snap.Config;
        var server = picked ?? snap.Balancer.Pick();
        if (server is null) return new ConnectResult(null, null, ConnectError.NoServer);

        var timeout = cfg.Timeouts.Connect ?? DefaultConnectTimeout;
        int retries = cfg.Retries;
        bool redispatch = cfg.HasOption("redispatch");
        int interval = RedispatchInterval(cfg);
        // Queue for a slot on a server at its maxconn, up to 'timeout queue' (default: timeout connect).
        if (!await server.AcquireSlotAsync(cfg.Timeouts.Queue ?? timeout, ct).ConfigureAwait(false))
            return new ConnectResult(null, server, ConnectError.QueueTimeout);
        long slotTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        bool redispatched = false, timedOut = false;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var socket = await SocketConnector.ConnectAsync(Target(server, clientLocal), timeout, ct).ConfigureAwait(false);
                server.ConnectionOpened();
                return new ConnectResult(socket, server, ConnectError.None) { Retries = attempt, Redispatched = redispatched, SlotTicks = slotTicks };
            }
            catch (SocketConnectException e)
            {
                server.ConnectFailed();
                timedOut = e.Reason == ConnectFailure.TimedOut;
            }
            catch (OperationCanceledException)
            {
                server.ReleaseSlot();
                return new ConnectResult(null, server, ConnectError.ConnectFailed) { Retries = attempt, Redispatched = redispatched, SlotTicks = slotTicks };
            }
            if (attempt >= retries || ct.IsCancellationRequested)
            {
                server.ReleaseSlot();
                return new ConnectResult(null, server, ConnectError.ConnectFailed) { Retries = attempt, Redispatched = redispatched, SlotTicks = slotTicks, TimedOut = timedOut };
            }
            server.Retried();
            int retry = attempt + 1;
            if (redispatch && IsRedispatchRetry(retry, retries, interval))
            {
                var other = backend.Snapshot.Balancer.Pick(avoid: server);
                if (other != null && other != server && await other.AcquireSlotAsync(TimeSpan.Zero, ct).ConfigureAwait(false))
                {
                    server.Redispatched();
                    server.ReleaseSlot();
                    server = other;
                    redispatched = true;
                    continue;
                }
            }
            try
            {
                await Task.Delay(timeout < TimeSpan.FromSeconds(1) ? timeout : TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                server.ReleaseSlot();
                return new ConnectResult(null, server, ConnectError.ConnectFailed) { Retries = attempt + 1, Redispatched = redispatched, SlotTicks = slotTicks };
            }
        }
    }

    // 'option redispatch [interval]': P > 0 every Pth retry, N < 0 the |N|th retry before the last (default -1).
    private static int RedispatchInterval(Lb.Config.Model.Proxy cfg) =>
        cfg.ArgsOf("redispatch") is { Length: 1 } a && int.TryParse(a[0], out var v) && v != 0 ? v : -1;

    private static bool IsRedispatchRetry(int retry, int retries, int interval) =>
        interval > 0 ? retry % interval == 0 : retry == retries + 1 + interval;

    private static EndPoint Target(ServerRuntime server, IPEndPoint? clientLocal)
    {
        var ep = server.EndPoint!;
        var addr = server.Config.Address!;
        if (addr.PortIsOffset && clientLocal != null) return new IPEndPoint(ep.Address, clientLocal.Port + addr.Port);
        if (ep.Port == 0 && clientLocal != null) return new IPEndPoint(ep.Address, clientLocal.Port);
        return ep;
    }
}
