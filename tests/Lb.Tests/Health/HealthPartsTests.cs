using Lb.Actors.Health;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Health;

public sealed class HealthPartsTests
{
    [Fact]
    public void PassiveObserver_Layer4_ReportsAtTheLimitAndStartsOver_SuccessResets()
    {
        var o = new PassiveObserver(ObserveMode.Layer4, errorLimit: 3);
        var reports = new List<(int, string)>();
        o.Attach((n, what) => reports.Add((n, what)));
        o.ConnectFailed(); o.ConnectFailed(); o.ConnectOk(); o.ConnectFailed(); o.ConnectFailed();
        Assert.Empty(reports);
        o.ConnectFailed();
        Assert.Equal(new[] { (3, "L4 unsuccessful connection") }, reports);
        Assert.Equal(0, o.Consecutive);
        // layer4 ignores HTTP statuses
        o.HttpStatus(500); o.HttpStatus(500); o.HttpStatus(500);
        Assert.Single(reports);
    }

    [Fact]
    public void PassiveObserver_Layer7_Counts5xxButNot501Or505()
    {
        var o = new PassiveObserver(ObserveMode.Layer7, errorLimit: 2);
        int reports = 0;
        o.Attach((_, _) => reports++);
        o.HttpStatus(501); o.HttpStatus(505); o.HttpStatus(404); o.HttpStatus(503);
        Assert.Equal(0, reports);
        o.ResponseFailed();
        Assert.Equal(1, reports);
        o.HttpStatus(500); o.HttpStatus(200); o.HttpStatus(500);
        Assert.Equal(1, reports);
    }

    [Fact]
    public void PassiveObserver_ConcurrentErrors_ReportOncePerLimit()
    {
        var o = new PassiveObserver(ObserveMode.Layer4, errorLimit: 10);
        int reports = 0;
        o.Attach((_, _) => Interlocked.Increment(ref reports));
        Parallel.For(0, 1000, _ => o.ConnectFailed());
        // Never more than one report per 10 errors; under contention a report may absorb a few extra errors.
        Assert.InRange(reports, 30, 100);
    }

    // Measured on haproxy 2.6.12 ('show stat' weight of a weight-10 server with slowstart 4s, read
    // every 250 ms after it came up): 1, 4, 6, 9, then 10 from the 4th second.
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 5, 4)]
    [InlineData(2, 9, 6)]
    [InlineData(3, 13, 9)]
    [InlineData(4, 16, 10)]
    [InlineData(60, 16, 10)]
    public void SlowStart_WeightRampsInWholeSecondsAsHaproxy(int elapsedSeconds, int factor, int shown)
    {
        Assert.Equal(factor, SlowStart.WeightFactor(elapsedSeconds, 4));
        Assert.Equal(shown, SlowStart.DisplayedWeight(10, factor));
    }

    [Theory]
    [InlineData(100, 0, 1)]
    [InlineData(100, 1, 25)]
    [InlineData(100, 3, 75)]
    [InlineData(100, 4, 100)]
    [InlineData(3, 1, 1)]
    [InlineData(0, 1, 0)]
    public void SlowStart_MaxConnRampsFromOne(int maxConn, int elapsedSeconds, int want)
    {
        Assert.Equal(want, SlowStart.MaxConn(maxConn, elapsedSeconds, 4));
    }

    [Fact]
    public void SlowStart_SecondsRoundUp()
    {
        Assert.Equal((1, 2, 10), (SlowStart.Seconds(TimeSpan.FromMilliseconds(1)), SlowStart.Seconds(TimeSpan.FromMilliseconds(1500)), SlowStart.Seconds(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void CheckSpread_FirstChecksAreSpreadOverTheShortestInter()
    {
        var s = new CheckSpread(1000, TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, s.FirstDelay(0));
        Assert.Equal(TimeSpan.FromSeconds(1), s.FirstDelay(500));
        Assert.Equal(TimeSpan.FromMilliseconds(1998), s.FirstDelay(999));
    }

    [Fact]
    public void CheckTarget_UsesAddrAndPort_TimeoutCheckSplitsConnectAndRead()
    {
        var server = new Server { Name = "s", Check = true, Inter = TimeSpan.FromSeconds(2), CheckAddr = "127.0.0.2", CheckPort = 9000 };
        var backend = new Proxy { Timeouts = new Timeouts { Connect = TimeSpan.FromSeconds(5), Check = TimeSpan.FromMilliseconds(300) } };
        var t = CheckTarget.For(server, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 8080), backend)!;
        Assert.Equal("127.0.0.2:9000", t.EndPoint.ToString());
        Assert.Equal(TimeSpan.FromSeconds(2), t.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(300), t.ReadTimeout);
        Assert.False(t.ReadCountsFromStart);

        var plain = CheckTarget.For(server with { CheckAddr = null, CheckPort = null }, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 8080), new Proxy())!;
        Assert.Equal("127.0.0.1:8080", plain.EndPoint.ToString());
        Assert.Equal(TimeSpan.FromSeconds(2), plain.ReadTimeout);
        Assert.True(plain.ReadCountsFromStart); // without 'timeout check', inter bounds the whole check
    }
}
