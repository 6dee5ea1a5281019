namespace Lb.Actors.Queueing;

/// <summary>A FIFO of waiting requests linked through the requests themselves. Not thread-safe:
/// the backend's queue lock guards every list of the backend.</summary>
internal sealed class PendingList
{
    private PendingRequest? _head, _tail;

    public int Count { get; private set; }

    /// <summary>Requests this queue handed to a server so far (haproxy's queue idx, for %sq/%bq).</summary>
    public long Served;

    public PendingRequest? First => _head;

    public void Add(PendingRequest p)
    {
        p.List = this;
        p.EnqueuedAt = Served;
        p.Previous = _tail;
        p.Next = null;
        if (_tail is null) _head = p; else _tail.Next = p;
        _tail = p;
        Count++;
    }

    public void Remove(PendingRequest p)
    {
        if (p.Previous is null) _head = p.Next; else p.Previous.Next = p.Next;
        if (p.Next is null) _tail = p.Previous; else p.Next.Previous = p.Previous;
        p.Previous = p.Next = null;
        p.List = null;
        Count--;
    }
}
