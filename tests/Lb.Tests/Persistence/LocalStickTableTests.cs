using System.Text;
using Lb.Actors.Persistence;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Persistence;

public sealed class LocalStickTableTests
{
    private long _now = 1_000;

    private LocalStickTable Table(long size = 100, long? expireMs = 10_000, bool nopurge = false, StickTableType type = StickTableType.String, params string[] store) =>
        new(new StickTableDefinition("t", type, 32, size, expireMs, nopurge, StickDataLayout.Parse(store)), () => _now);

    private static byte[] K(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>A session's store: room at request time, the entry once the server answered.</summary>
    private static bool Put(IStickTable t, string key, int server)
    {
        if (!t.TryPrepareStore(out long queueKey)) return false;
        return t.Store(K(key), server, queueKey) != null;
    }

    private static string Keys(IStickTable t) =>
        string.Join(",", t.Snapshot().Select(e => Encoding.ASCII.GetString(e.Key)).Order());

    [Fact]
    public void TryLookup_StoredKey_FindsItsServer()
    {
        var t = Table();
        Assert.True(Put(t, "a", 2));
        Assert.True(t.TryLookup(K("a"), out var e));
        Assert.Equal(2, e.ServerId);
        Assert.False(t.TryLookup(K("b"), out _));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Store_ExistingKey_UpdatesServerWithoutNewEntry()
    {
        var t = Table();
        Put(t, "a", 1);
        Put(t, "a", 3);
        Assert.Equal(1, t.Count);
        Assert.True(t.TryLookup(K("a"), out var e));
        Assert.Equal(3, e.ServerId);
    }

    [Fact]
    public void TryLookup_AfterExpire_Misses()
    {
        var t = Table(expireMs: 500);
        Put(t, "a", 1);
        _now += 499;
        Assert.True(t.TryLookup(K("a"), out _));
        _now += 1;
        Assert.False(t.TryLookup(K("a"), out _));
    }

    [Fact]
    public void Touch_PushesExpiryFromNow()
    {
        var t = Table(expireMs: 500);
        Put(t, "a", 1);
        _now += 400;
        Assert.True(t.TryLookup(K("a"), out var e));
        t.Touch(e);
        _now += 400;
        Assert.True(t.TryLookup(K("a"), out _));
        _now += 100;
        Assert.False(t.TryLookup(K("a"), out _));
    }

    [Fact]
    public void TryLookup_TableWithoutExpire_NeverExpires()
    {
        var t = Table(expireMs: null);
        Put(t, "a", 1);
        _now += 365L * 24 * 3600 * 1000;
        t.PurgeExpired();
        Assert.True(t.TryLookup(K("a"), out _));
    }

    [Fact]
    public void PurgeExpired_DropsExpiredEntries_KeepsTouchedOnes()
    {
        var t = Table(expireMs: 1_000);
        Put(t, "a", 1);
        Put(t, "b", 1);
        _now += 600;
        Assert.True(t.TryLookup(K("a"), out var a));
        t.Touch(a);
        _now += 600;
        t.PurgeExpired();
        Assert.Equal(1, t.Count);
        Assert.Equal("a", Keys(t));
        Assert.True(a.IsLive);
        Assert.False(t.TryLookup(K("b"), out _));
    }

    [Fact]
    public void TryPrepareStore_FullTable_EvictsTheOldestEntry()
    {
        var t = Table(size: 3);
        foreach (var k in new[] { "a", "b", "c" }) { Put(t, k, 1); _now += 10; }
        Assert.True(Put(t, "d", 1));
        Assert.Equal("b,c,d", Keys(t));
    }

    [Fact]
    public void TryPrepareStore_FullTable_ExpiredEntriesGoFirst()
    {
        var t = Table(size: 3, expireMs: 100);
        Put(t, "a", 1);
        _now += 50;
        Put(t, "b", 1);
        Put(t, "c", 1);
        _now += 60; // a expired, b and c not
        Assert.True(Put(t, "d", 1));
        Assert.Equal("b,c,d", Keys(t));
    }

    [Fact]
    public void TryPrepareStore_FullTableWhoseHeadWasTouched_GivesUpAfterTwoLooks()
    {
        // HAProxy looks at no more than twice the batch (1 here): a touched head entry is only
        // re-queued; when the next one was touched too, the new entry is refused.
        var t = Table(size: 3);
        foreach (var k in new[] { "a", "b", "c" }) { Put(t, k, 1); _now += 10; }
        foreach (var k in new[] { "a", "b" })
        {
            Assert.True(t.TryLookup(K(k), out var e));
            t.Touch(e);
            _now += 10;
        }
        Assert.False(Put(t, "d", 1));
        Assert.Equal("a,b,c", Keys(t));
        // Both were re-queued behind c, which is now the oldest: the next new key evicts it.
        Assert.True(Put(t, "e", 1));
        Assert.Equal("a,b,e", Keys(t));
    }

    [Fact]
    public void TryPrepareStore_FullTableWhoseHeadAloneWasTouched_EvictsTheNextOne()
    {
        var t = Table(size: 3);
        foreach (var k in new[] { "a", "b", "c" }) { Put(t, k, 1); _now += 10; }
        Assert.True(t.TryLookup(K("a"), out var a));
        t.Touch(a);
        _now += 10;
        Assert.True(Put(t, "d", 1));
        Assert.Equal("a,c,d", Keys(t));
    }

    [Fact]
    public void TryPrepareStore_FullNopurgeTable_RefusesNewKeys_KeepsUpdatingOldOnes()
    {
        var t = Table(size: 2, nopurge: true);
        Put(t, "a", 1);
        Put(t, "b", 1);
        Assert.False(t.TryPrepareStore(out _));
        Assert.Null(t.Store(K("c"), 1, _now));
        Assert.NotNull(t.Store(K("a"), 2, _now));
        Assert.Equal("a,b", Keys(t));
    }

    [Fact]
    public void TryPrepareStore_LargeFullTable_EvictsSizeOver256PlusOne()
    {
        var t = Table(size: 1024);
        for (int i = 0; i < 1024; i++) { Put(t, "k" + i, 1); _now++; }
        Assert.True(t.TryPrepareStore(out _));
        Assert.Equal(1024 - (1024 / 256 + 1), t.Count);
        Assert.False(t.TryLookup(K("k4"), out _));
        Assert.True(t.TryLookup(K("k5"), out _));
    }

    [Fact]
    public void RemoveAndClear_DropEntries()
    {
        var t = Table();
        Put(t, "a", 1);
        Put(t, "b", 1);
        Assert.True(t.TryLookup(K("a"), out var a));
        Assert.True(t.Remove(K("a")));
        Assert.False(t.Remove(K("a")));
        Assert.False(a.IsLive);
        Assert.Equal(1, t.Count);
        t.Clear();
        Assert.Equal(0, t.Count);
        Assert.False(t.TryLookup(K("b"), out _));
        Assert.True(Put(t, "b", 1));
    }

    [Fact]
    public void GetOrCreate_MissingKey_CreatesAnEntryWithoutServer()
    {
        var t = Table(store: ["conn_cnt"]);
        var e = t.GetOrCreate(K("x"))!;
        Assert.Equal(0, e.ServerId);
        Assert.Same(e, t.GetOrCreate(K("x")));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Counters_StoredTypes_AddAndRead_OthersStayZero()
    {
        var t = Table(store: ["conn_cnt", "conn_cur", "gpc0", "http_req_rate(10s)"]);
        var e = t.GetOrCreate(K("x"))!;
        e.Add(StickDataType.ConnCnt, 1, _now);
        e.Add(StickDataType.ConnCnt, 1, _now);
        e.Add(StickDataType.ConnCur, 1, _now);
        e.Add(StickDataType.ConnCur, -1, _now);
        e.Set(StickDataType.Gpc0, 7);
        e.Add(StickDataType.HttpErrCnt, 5, _now);
        Assert.Equal(2, e.Get(StickDataType.ConnCnt, _now));
        Assert.Equal(0, e.Get(StickDataType.ConnCur, _now));
        Assert.Equal(7, e.Get(StickDataType.Gpc0, _now));
        Assert.Equal(0, e.Get(StickDataType.HttpErrCnt, _now));
        Assert.False(e.Has(StickDataType.HttpErrCnt));
    }

    [Fact]
    public void Counters_Rate_SlidesOverItsPeriod()
    {
        var t = Table(store: ["http_req_rate(10s)"]);
        var e = t.GetOrCreate(K("x"))!;
        for (int i = 0; i < 10; i++) e.Add(StickDataType.HttpReqRate, 1, _now);
        Assert.Equal(10, e.Get(StickDataType.HttpReqRate, _now));
        // Half-way through the next period, half of the previous period's events still count.
        Assert.Equal(5, e.Get(StickDataType.HttpReqRate, _now + 15_000));
        Assert.Equal(0, e.Get(StickDataType.HttpReqRate, _now + 30_000));
    }

    [Fact]
    public async Task StoreAndLookup_ManyThreads_StayWithinSize()
    {
        var t = new LocalStickTable(new StickTableDefinition("t", StickTableType.String, 32, 500, 60_000, false, StickDataLayout.Empty));
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                var key = K("k" + (i * 7 + w) % 2_000);
                if (t.TryLookup(key, out var e)) t.Touch(e);
                else if (t.TryPrepareStore(out long q)) t.Store(key, 1 + w, q);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(t.Count, 1, 500);
        Assert.Equal(t.Count, t.Snapshot().Count);
    }
}
