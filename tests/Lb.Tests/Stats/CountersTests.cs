using Lb.Actors.Stats;
using Xunit;

namespace Lb.Tests.Stats;

public sealed class CountersTests
{
    [Fact]
    public async Task StripedCounters_ManyThreads_SumIsExact()
    {
        var c = new StripedCounters(3);
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                c.Increment(1);
                c.Add(2, 3);
            }
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, c.Get(0));
        Assert.Equal(80_000, c.Get(1));
        Assert.Equal(240_000, c.Get(2));
        c.Reset(1);
        Assert.Equal(0, c.Get(1));
    }

    [Fact]
    public void SlidingAverage_FewSamples_IsTheirAverageRoundedUp()
    {
        var a = new SlidingAverage();
        Assert.Equal(0, a.Average);
        a.Add(2);
        Assert.Equal(2, a.Average);
        a.Add(2);
        Assert.Equal(2, a.Average);
        a.Add(8);
        Assert.Equal(4, a.Average);
        Assert.Equal(8, a.Max);
    }

    [Fact]
    public void SlidingAverage_ManySamples_ForgetsOldOnesOverTheWindow()
    {
        var a = new SlidingAverage();
        for (int i = 0; i < 2000; i++) a.Add(100);
        Assert.Equal(100, a.Average);
        for (int i = 0; i < 4 * SlidingAverage.Window; i++) a.Add(10);
        Assert.InRange(a.Average, 10, 13);
        Assert.Equal(100, a.Max);
        a.ResetMax();
        Assert.Equal(0, a.Max);
    }

    [Fact]
    public void RateCounter_BurstWithinOneSecond_RateAndMaxCountIt()
    {
        var r = new RateCounter();
        for (int i = 0; i < 50; i++) r.Add();
        // A second boundary may fall inside the burst: then part of it is the previous second.
        Assert.InRange(r.Rate, 25, 50);
        Assert.InRange(r.Max, 25, 50);
        r.ResetMax();
        Assert.Equal(0, r.Max);
    }

    [Fact]
    public void TrafficCounters_Status_GoesToItsClass()
    {
        var c = new TrafficCounters();
        foreach (var s in new[] { 101, 200, 204, 302, 404, 503, 99, 600 }) c.Status(s);
        Assert.Equal(1, c[Counter.Hrsp1xx]);
        Assert.Equal(2, c[Counter.Hrsp2xx]);
        Assert.Equal(1, c[Counter.Hrsp3xx]);
        Assert.Equal(1, c[Counter.Hrsp4xx]);
        Assert.Equal(1, c[Counter.Hrsp5xx]);
        Assert.Equal(2, c[Counter.HrspOther]);
    }

    [Fact]
    public void TrafficCounters_ClearMaxThenClearAll_KeepsTotalsOnlyAfterClearMax()
    {
        var c = new TrafficCounters();
        c.Assigned(balanced: true);
        c.Times(1, 2, 3, 40);
        c.ObserveQueue(5);
        c.ClearMax();
        Assert.Equal(1, c[Counter.Sessions]);
        Assert.Equal(0, c.TotalTime.Max);
        Assert.Equal(40, c.TotalTime.Average);
        Assert.Equal(0, c.QueueMax);
        c.ClearAll();
        Assert.Equal(0, c[Counter.Sessions]);
        Assert.Equal(0, c[Counter.Selected]);
        Assert.Equal(0, c.TotalTime.Average);
        Assert.Equal(-1, c.SecondsSinceLastSession);
    }
}
