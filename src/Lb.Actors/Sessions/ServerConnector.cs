using System.Net;
using System.Net.Sockets;
using Lb.Actors.Backends;
using Lb.Actors.Queueing;
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

    /// <summary>%sq / %bq: see <see cref="PendingRequest.ServerQueuePosition"/> (summed over the queues it went through).</summary>
    public int ServerQueuePosition { get; init; }
    public int BackendQueuePosition { get; init; }

    /// <summary>The last attempt failed by 'timeout connect' (haproxy's "sC"), not refused ("SC").</summary>
    public bool TimedOut { get; init; }
}

public enum ConnectError { None, NoBackend, NoServer, ConnectFailed, QueueTimeout, QueueFull }

/// <summary>
/// Gets a server connection with HAProxy's rules: a connection slot first (queueing as
/// <see cref="BackendQueue"/> does, up to 'timeout queue', default 'timeout connect'), then the
/// connect with up to 'retries' more attempts on the same server, min(1s, timeout connect)
/// apart; with 'option redispatch' the retry that the redispatch interval designates (by default
/// the last one) goes to another server that has a free slot, at once.
/// </summary>
public static class ServerConnector
{
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A TCP session's server connection: takes a slot on <paramref name="picked"/> (or, when it is
    /// null, waits in the backend's queue: the balancer found every server full), then connects.
    /// On success the result's server holds the session's slot until it calls ReleaseSlot; on
    /// failure the result names the last server tried but no slot is held.
    /// </summary>
    /// <param name="picked">the server the frontend chose (TCP sessions are balanced in accept order)</param>
    public static async Task<ConnectResult> ConnectAsync(BackendHandle? backend, IPEndPoint? clientLocal, CancellationToken ct, ServerRuntime? picked = null)
    {
        if (backend is null) return new ConnectResult(null, null, ConnectError.NoBackend);
        var (server, error, sq, bq) = await AssignAsync(backend, picked, ct).ConfigureAwait(false);
        if (server is null) return new ConnectResult(null, null, error) { ServerQueuePosition = sq, BackendQueuePosition = bq };
        var r = await ConnectAssignedAsync(backend, server, clientLocal, ct).ConfigureAwait(false);
        if (sq + bq != 0) r = r with { ServerQueuePosition = sq, BackendQueuePosition = bq };
        // A failed result still names the server it tried (for the log), but holds no slot.
        if (!r.Ok) r.Server?.ReleaseSlot();
        return r;
    }

    /// <summary>'timeout queue', else 'timeout connect' (HAProxy's fallback), else 5 s.</summary>
    public static TimeSpan QueueTimeout(Lb.Config.Model.Proxy cfg) => cfg.Timeouts.Queue ?? cfg.Timeouts.Connect ?? DefaultConnectTimeout;

    /// <summary>A slot, or why not; with the queue positions (%sq, %bq) summed over the queues it waited in.</summary>
    private static async Task<(ServerRuntime? Server, ConnectError Error, int Sq, int Bq)> AssignAsync(BackendHandle backend, ServerRuntime? picked, CancellationToken ct)
    {
        var queue = backend.Queue;
        int sq = 0, bq = 0;
        // Bounded: each round is a redispatch of a request whose server went DOWN while it waited.
        for (int round = 0; round < 16; round++)
        {
            var snap = backend.Snapshot;
            if (picked is null && snap.Balanced.IsEmpty) return (null, ConnectError.NoServer, sq, bq);
            switch (queue.TakeOrQueue(picked, snap.Balanced.AsSpan(), out var pending))
            {
                case SlotResult.Taken: return (picked, ConnectError.None, sq, bq);
                case SlotResult.Full: return (null, ConnectError.QueueFull, sq, bq);
            }
            var outcome = await WaitAsync(queue, pending!, QueueTimeout(snap.Config), ct).ConfigureAwait(false);
            sq += pending!.ServerQueuePosition;
            bq += pending.BackendQueuePosition;
            if (outcome is not { } o) return (null, ConnectError.QueueTimeout, sq, bq);
            if (o.Verdict == QueueVerdict.Assigned) return (o.Server, ConnectError.None, sq, bq);
            picked = backend.Snapshot.Balancer.Pick();
        }
        return (null, ConnectError.NoServer, sq, bq);
    }

    /// <summary>Waits for a queued request's turn; null when the time is up or the session is gone first.</summary>
    private static async Task<QueueOutcome?> WaitAsync(BackendQueue queue, PendingRequest pending, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await pending.Outcome.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            if (queue.TryCancel(pending)) return null;
            // A server took it (or it was redispatched) at the last moment: that outcome is final.
            var late = await pending.Outcome.ConfigureAwait(false);
            if (!ct.IsCancellationRequested) return late;
            late.Server?.ReleaseSlot();
            return null;
        }
    }

    /// <summary>
    /// Connects to <paramref name="server"/>, whose slot the caller holds, with the retries and
    /// redispatch above. The result's server is the one holding the slot now (a redispatch moves
    /// it), success or not: the caller gives it back.
    /// </summary>
    public static async Task<ConnectResult> ConnectAssignedAsync(BackendHandle backend, ServerRuntime server, IPEndPoint? clientLocal, CancellationToken ct)
    {
        var cfg = backend.Snapshot.Config;
        var timeout = cfg.Timeouts.Connect ?? DefaultConnectTimeout;
        int retries = cfg.Retries;
        bool redispatch = cfg.HasOption("redispatch");
        int interval = RedispatchInterval(cfg);
        // The caller got the slot just before: %Tw ends here.
        long slotTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        bool redispatched = false, timedOut = false;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                server.ConnectAttempt();
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
                return new ConnectResult(null, server, ConnectError.ConnectFailed) { Retries = attempt, Redispatched = redispatched, SlotTicks = slotTicks };
            }
            if (attempt >= retries || ct.IsCancellationRequested)
            {
                server.ConnectGaveUp();
                return new ConnectResult(null, server, ConnectError.ConnectFailed) { Retries = attempt, Redispatched = redispatched, SlotTicks = slotTicks, TimedOut = timedOut };
            }
            server.Retried();
            int retry = attempt + 1;
            if (redispatch && IsRedispatchRetry(retry, retries, interval))
            {
                var other = backend.Snapshot.Balancer.Pick(avoid: server);
                if (other != null && other != server && other.TryTakeSlot())
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
