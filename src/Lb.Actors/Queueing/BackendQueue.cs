using Lb.Actors.Backends;

namespace Lb.Actors.Queueing;

/// <summary>What became of a request that asked for a connection slot.</summary>
public enum SlotResult
{
    /// <summary>The server had room: the slot is the caller's until it releases it.</summary>
    Taken,

    /// <summary>The request waits in a queue (see <see cref="PendingRequest"/>).</summary>
    Queued,

    /// <summary>The server's queue is at its 'maxqueue': redispatch or 503.</summary>
    Full,
}

/// <summary>
/// HAProxy's connection slots and queues for one backend (queue.c, assign_server_and_queue): a
/// server with 'maxconn' serves that many requests at once (HTTP: from assignment to the end of
/// the response; TCP: the whole connection), and the others wait, oldest first:
/// - in the server's own queue when the request is bound to that server (persistence cookie,
///   hash algorithms, leastconn within 'maxqueue'), at most 'maxqueue' of them;
/// - in the backend's queue when the balancer found every server full; any server of the
///   balanced group takes them as it frees a slot.
/// A freed slot goes to the oldest of the server's queue head and the backend's queue head.
/// One lock per backend guards the queues and the slot counts of servers with maxconn; it is held
/// for a few list operations, never across I/O, and the woken requests are completed after it is
/// released. Servers without maxconn take and give back slots with one atomic increment.
/// </summary>
public sealed class BackendQueue
{
    private readonly object _lock = new();
    private readonly PendingList _backend = new();
    private long _tickets;
    private int _waiting;

    /// <summary>Requests waiting in the backend's queue (HAProxy's backend qcur).</summary>
    public int BackendQueued => Volatile.Read(ref _waiting);

    /// <summary>The backend's counters, told each backend queue length (its qmax).</summary>
    internal Stats.TrafficCounters? Counters { get; set; }

    /// <summary>
    /// Takes a slot on <paramref name="server"/>, or queues the request: on the server when it is
    /// full, in the backend's queue when <paramref name="server"/> is null (the balancer found
    /// every server full). <paramref name="pending"/> is the waiting request when Queued.
    /// </summary>
    /// <param name="candidates">the servers the balancer chooses among (for the backend queue: a
    /// slot freed since the balancer looked is taken at once instead of waiting)</param>
    public SlotResult TakeOrQueue(ServerRuntime? server, ReadOnlySpan<ServerRuntime> candidates, out PendingRequest? pending)
    {
        pending = null;
        if (server != null && !server.Limited)
        {
            server.SlotTaken();
            return SlotResult.Taken;
        }
        PendingRequest? wake = null;
        lock (_lock)
        {
            if (server != null)
            {
                if (HasRoomLocked(server))
                {
                    server.SlotTaken();
                    return SlotResult.Taken;
                }
                if (server.Config.MaxQueue > 0 && server.Pending.Count >= server.Config.MaxQueue) return SlotResult.Full;
                pending = new PendingRequest(++_tickets, server);
                server.Pending.Add(pending);
                server.QueueChanged(server.Pending.Count);
                return SlotResult.Queued;
            }
            pending = new PendingRequest(++_tickets, null);
            _backend.Add(pending);
            Volatile.Write(ref _waiting, _backend.Count);
            Counters?.ObserveQueue(_backend.Count);
            // A server may have freed a slot between the balancer's look and this lock.
            foreach (var s in candidates)
            {
                if (_backend.Count == 0) break;
                if (!s.Limited || (s.Pending.Count == 0 && s.CurrentConns < s.SlotLimit))
                    wake = Dispatch(s, wake);
            }
        }
        Wake(wake);
        return SlotResult.Queued;
    }

    /// <summary>Takes a slot only if the server has one free now (no queueing): retries that move to another server.</summary>
    public bool TryTake(ServerRuntime server)
    {
        if (!server.Limited)
        {
            server.SlotTaken();
            return true;
        }
        lock (_lock)
        {
            if (!HasRoomLocked(server)) return false;
            server.SlotTaken();
            return true;
        }
    }

    /// <summary>Gives a slot back; the oldest waiting request the server may serve gets it (process_srv_queue).</summary>
    public void Release(ServerRuntime server)
    {
        if (!server.Limited)
        {
            server.SlotReleased();
            return;
        }
        PendingRequest? wake;
        lock (_lock)
        {
            server.SlotReleased();
            wake = Dispatch(server, null);
        }
        Wake(wake);
    }

    /// <summary>
    /// A server joined the balanced group or its limit grew (slowstart): it takes requests from
    /// the backend's queue up to its limit (pendconn_grab_from_px). Returns how many it took.
    /// </summary>
    public int Grab(ServerRuntime server)
    {
        if (Volatile.Read(ref _waiting) == 0 || !server.IsBalanced) return 0;
        PendingRequest? wake = null;
        int n = 0;
        lock (_lock)
        {
            while (_backend.First is { } p && (!server.Limited || server.CurrentConns < server.SlotLimit))
            {
                _backend.Served++;
                Unlink(p);
                server.SlotTaken();
                p.WakeNext = wake;
                p.Assigned = server;
                wake = p;
                n++;
            }
        }
        Wake(wake);
        return n;
    }

    /// <summary>The server's maxconn changed ('set maxconn server'): free slots go to waiting requests at once.</summary>
    public void LimitChanged(ServerRuntime server)
    {
        PendingRequest? wake;
        lock (_lock) wake = Dispatch(server, null);
        Wake(wake);
    }

    /// <summary>
    /// The server went DOWN with 'option redispatch': the requests waiting in its queue are told
    /// to balance again (pendconn_redistribute). Returns how many.
    /// </summary>
    public int Redistribute(ServerRuntime server)
    {
        PendingRequest? wake = null;
        int n = 0;
        lock (_lock)
        {
            while (server.Pending.First is { } p)
            {
                Unlink(p);
                p.WakeNext = wake;
                p.Assigned = null;
                wake = p;
                n++;
            }
        }
        Wake(wake);
        return n;
    }

    /// <summary>
    /// The request stops waiting ('timeout queue', client gone). True: it was still queued and is
    /// no more. False: a server took it meanwhile; its outcome completes (or has) and the slot is
    /// the caller's, to use or to release.
    /// </summary>
    public bool TryCancel(PendingRequest pending)
    {
        lock (_lock)
        {
            if (pending.List is null) return false;
            Unlink(pending);
            return true;
        }
    }

    /// <summary>Gives up a request for good: unqueued, or its slot released if a server had taken it.</summary>
    public void Abandon(PendingRequest pending)
    {
        if (TryCancel(pending)) return;
        if (pending.Assigned is { } server) Release(server);
    }

    private static bool HasRoomLocked(ServerRuntime s) => s.Pending.Count == 0 && s.CurrentConns < s.SlotLimit;

    /// <summary>Fills the server's free slots from its queue and, if it is balanced, the backend's queue, oldest first.</summary>
    private PendingRequest? Dispatch(ServerRuntime server, PendingRequest? wake)
    {
        while (!server.Limited || server.CurrentConns < server.SlotLimit)
        {
            var own = server.Pending.First;
            var shared = server.IsBalanced ? _backend.First : null;
            var p = own is null ? shared : shared is null || own.Ticket < shared.Ticket ? own : shared;
            if (p is null) break;
            p.List!.Served++;
            Unlink(p);
            server.SlotTaken();
            p.Assigned = server;
            p.WakeNext = wake;
            wake = p;
        }
        return wake;
    }

    private void Unlink(PendingRequest p)
    {
        var list = p.List!;
        int position = (int)Math.Min(int.MaxValue, list.Served - p.EnqueuedAt);
        if (p.Server is null) p.BackendQueuePosition += position; else p.ServerQueuePosition += position;
        list.Remove(p);
        if (p.Server is { } s) s.QueueChanged(s.Pending.Count);
        else Volatile.Write(ref _waiting, _backend.Count);
    }

    private static void Wake(PendingRequest? chain)
    {
        while (chain != null)
        {
            var next = chain.WakeNext;
            chain.WakeNext = null;
            chain.Complete(chain.Assigned is { } s ? new QueueOutcome(QueueVerdict.Assigned, s) : new QueueOutcome(QueueVerdict.Redispatch, null));
            chain = next;
        }
    }
}
