using System.Collections.Immutable;
using System.Net;
using Lb.Actors.Backends;
using Lb.Actors.Queueing;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Queueing;

/// <summary>Slots and queues without sockets: who waits where, in which order, and who gets a freed slot.</summary>
public sealed class BackendQueueTests
{
    private readonly BackendQueue _queue = new();

    private ServerRuntime Server(string name, int maxConn = 1, int maxQueue = 0, int id = 1) =>
        new(new Server { Name = name, MaxConn = maxConn, MaxQueue = maxQueue }, "be", id, new IPEndPoint(IPAddress.Loopback, 1000 + id), _queue);

    private static QueueOutcome Outcome(PendingRequest p)
    {
        Assert.True(p.Outcome.Wait(TimeSpan.FromSeconds(5)), "the request should have left its queue");
        return p.Outcome.Result;
    }

    private PendingRequest Queue(ServerRuntime? server, params ServerRuntime[] candidates)
    {
        Assert.Equal(SlotResult.Queued, _queue.TakeOrQueue(server, candidates, out var p));
        return p!;
    }

    [Fact]
    public void TakeOrQueue_FreeSlot_TakenThenFullServerQueues()
    {
        var s1 = Server("s1");
        Assert.Equal(SlotResult.Taken, _queue.TakeOrQueue(s1, [s1], out _));
        Assert.Equal(1, s1.CurrentConns);
        Assert.False(s1.HasRoom);
        var p = Queue(s1, s1);
        Assert.Equal((1L, false), (s1.Queued, p.Outcome.IsCompleted));
    }

    [Fact]
    public void Release_ServerQueue_OldestFirst()
    {
        var s1 = Server("s1");
        Assert.True(s1.TryTakeSlot());
        var first = Queue(s1, s1);
        var second = Queue(s1, s1);
        s1.ReleaseSlot();
        Assert.Equal(new QueueOutcome(QueueVerdict.Assigned, s1), Outcome(first));
        Assert.False(second.Outcome.IsCompleted);
        Assert.Equal((1L, 1L), (s1.CurrentConns, s1.Queued));
        s1.ReleaseSlot();
        Assert.Equal(s1, Outcome(second).Server);
        Assert.Equal((1L, 0L), (s1.CurrentConns, s1.Queued));
    }

    [Fact]
    public void TakeOrQueue_MaxQueueReached_Full()
    {
        var s1 = Server("s1", maxQueue: 2);
        Assert.True(s1.TryTakeSlot());
        Queue(s1, s1);
        Queue(s1, s1);
        Assert.Equal(SlotResult.Full, _queue.TakeOrQueue(s1, [s1], out var none));
        Assert.Null(none);
    }

    [Fact]
    public void BackendQueue_AnyBalancedServerTakesIt_OldestAcrossQueues()
    {
        var s1 = Server("s1", id: 1);
        var s2 = Server("s2", id: 2);
        Assert.True(s1.TryTakeSlot());
        Assert.True(s2.TryTakeSlot());
        var onBackend = Queue(null, s1, s2);   // every server full: the backend's queue
        var onS1 = Queue(s1, s1, s2);          // younger, bound to s1
        Assert.Equal(1, _queue.BackendQueued);
        s1.ReleaseSlot();                      // s1 serves the older one, from the backend's queue
        Assert.Equal(s1, Outcome(onBackend).Server);
        Assert.False(onS1.Outcome.IsCompleted);
        s2.ReleaseSlot();                      // s2 may not take s1's own queue
        Assert.False(onS1.Outcome.IsCompleted);
        Assert.Equal(0, s2.CurrentConns);
        s1.ReleaseSlot();
        Assert.Equal(s1, Outcome(onS1).Server);
    }

    [Fact]
    public void BackendQueue_SlotFreedBeforeQueueing_TakenAtOnce()
    {
        var s1 = Server("s1");
        // The balancer saw s1 full, but it freed its slot before the request reached the queue.
        var p = Queue(null, s1);
        Assert.Equal(s1, Outcome(p).Server);
        Assert.Equal((1L, 0), (s1.CurrentConns, _queue.BackendQueued));
    }

    [Fact]
    public void BackendQueue_ServerNotBalanced_ServesOnlyItsOwnQueue()
    {
        var s1 = Server("s1", id: 1);
        var s2 = Server("s2", id: 2);
        Assert.True(s1.TryTakeSlot());
        Assert.True(s2.TryTakeSlot());
        var p = Queue(null, s1, s2);
        s1.SetBalanced(false);                 // DOWN: it finishes its work but takes no new balanced request
        s1.ReleaseSlot();
        Assert.False(p.Outcome.IsCompleted);
        s2.ReleaseSlot();
        Assert.Equal(s2, Outcome(p).Server);
    }

    [Fact]
    public void Grab_ServerBackUp_TakesFromTheBackendQueueUpToItsLimit()
    {
        var s1 = Server("s1", maxConn: 2, id: 1);
        var s2 = Server("s2", maxConn: 1, id: 2);
        s1.SetBalanced(false);
        Assert.True(s2.TryTakeSlot());
        var a = Queue(null, s2);
        var b = Queue(null, s2);
        var c = Queue(null, s2);
        s1.SetBalanced(true);
        Assert.Equal(2, _queue.Grab(s1));
        Assert.Equal((s1, s1), (Outcome(a).Server, Outcome(b).Server));
        Assert.False(c.Outcome.IsCompleted);
    }

    [Fact]
    public void Redistribute_ServerDown_ItsQueueIsToldToBalanceAgain()
    {
        var s1 = Server("s1");
        Assert.True(s1.TryTakeSlot());
        var p = Queue(s1, s1);
        Assert.Equal(1, _queue.Redistribute(s1));
        Assert.Equal(QueueVerdict.Redispatch, Outcome(p).Verdict);
        Assert.Equal(0, s1.Queued);
    }

    [Fact]
    public void TryCancel_StillWaiting_LeavesTheQueue_AfterAssignment_KeepsTheSlot()
    {
        var s1 = Server("s1");
        Assert.True(s1.TryTakeSlot());
        var waiting = Queue(s1, s1);
        Assert.True(_queue.TryCancel(waiting));
        Assert.Equal(0, s1.Queued);
        var served = Queue(s1, s1);
        s1.ReleaseSlot();
        Assert.False(_queue.TryCancel(served)); // served meanwhile: the slot is the caller's
        Assert.Equal(1, s1.CurrentConns);
        _queue.Abandon(served);                  // given up anyway: the slot comes back
        Assert.Equal(0, s1.CurrentConns);
    }

    [Fact]
    public void NoMaxConn_SlotsAreCountedWithoutQueueing()
    {
        var s1 = Server("s1", maxConn: 0);
        for (int i = 0; i < 100; i++) Assert.Equal(SlotResult.Taken, _queue.TakeOrQueue(s1, [s1], out _));
        Assert.Equal(100, s1.CurrentConns);
        Assert.True(s1.HasRoom);
        for (int i = 0; i < 100; i++) s1.ReleaseSlot();
        Assert.Equal((0L, 100L), (s1.CurrentConns, s1.TotalConns));
    }

    [Fact]
    public async Task ManyThreads_MaxConn3_NeverMoreThan3ServedAndEveryoneServed()
    {
        var s1 = Server("s1", maxConn: 3);
        int inside = 0, peak = 0, done = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                if (_queue.TakeOrQueue(s1, [s1], out var p) == SlotResult.Queued)
                    Assert.Equal(s1, (await p!.Outcome.WaitAsync(TimeSpan.FromSeconds(10))).Server);
                int now = Interlocked.Increment(ref inside);
                int seen;
                while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
                Interlocked.Decrement(ref inside);
                s1.ReleaseSlot();
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1600, done);
        Assert.InRange(peak, 1, 3);
        Assert.Equal((0L, 0L), (s1.CurrentConns, s1.Queued));
    }

    [Fact]
    public void Snapshot_MarksItsBalancedServers()
    {
        var a = Server("a", id: 1);
        var b = Server("b", id: 2);
        var proxy = new Proxy { Name = "be", Servers = [a.Config, b.Config] };
        var snap = new BackendSnapshot(proxy, [a, b], [a], ImmutableArray<ServerRuntime>.Empty);
        Assert.Equal((true, false), (a.IsBalanced, b.IsBalanced));
        Assert.Same(a, Assert.Single(snap.Balanced));
    }
}
