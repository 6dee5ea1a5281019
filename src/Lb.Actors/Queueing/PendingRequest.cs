using Lb.Actors.Backends;

namespace Lb.Actors.Queueing;

/// <summary>How a wait in a queue ended.</summary>
public enum QueueVerdict
{
    /// <summary>A slot on <see cref="QueueOutcome.Server"/> was given to the request.</summary>
    Assigned,

    /// <summary>Its server went DOWN with 'option redispatch': balance the request again.</summary>
    Redispatch,
}

/// <summary>The end of a wait: a slot on a server, or an order to balance again.</summary>
public readonly record struct QueueOutcome(QueueVerdict Verdict, ServerRuntime? Server);

/// <summary>
/// One request waiting for a connection slot (HAProxy's pendconn), in a server's queue or in its
/// backend's queue. Created only when a request has to wait; linked into its queue in place
/// (no list node to allocate), unlinked by whoever serves, redispatches or gives it up, always
/// under the backend's queue lock.
/// </summary>
public sealed class PendingRequest
{
    private readonly TaskCompletionSource<QueueOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal PendingRequest(long ticket, ServerRuntime? server)
    {
        Ticket = ticket;
        Server = server;
    }

    /// <summary>Arrival order within the backend: the oldest request is served first.</summary>
    internal long Ticket { get; }

    /// <summary>The server whose queue it waits in; null: the backend's queue.</summary>
    public ServerRuntime? Server { get; }

    internal PendingRequest? Previous, Next;
    internal PendingList? List;
    internal long EnqueuedAt; // the queue's Served count when the request joined it

    /// <summary>
    /// haproxy's srv_queue_pos / prx_queue_pos (%sq / %bq): how many requests the server's queue
    /// (the backend's queue) handed out while this one waited in it, itself included when it was
    /// served from it. Final once the outcome completed or the wait was cancelled.
    /// </summary>
    public int ServerQueuePosition { get; internal set; }
    public int BackendQueuePosition { get; internal set; }

    // Set under the queue lock when the request leaves its queue: the server that took it (null:
    // redispatch), and the chain of requests to complete once the lock is released.
    internal ServerRuntime? Assigned;
    internal PendingRequest? WakeNext;

    /// <summary>Completes when a server takes the request or it must be balanced again.</summary>
    public Task<QueueOutcome> Outcome => _outcome.Task;

    internal void Complete(QueueOutcome outcome) => _outcome.TrySetResult(outcome);
}
