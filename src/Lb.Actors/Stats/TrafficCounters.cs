using System.Diagnostics;

namespace Lb.Actors.Stats;

/// <summary>The cumulative counters a frontend, backend or server keeps (haproxy's 'show stat' names).</summary>
public enum Counter
{
    Sessions,        // stot
    BytesIn,         // bin
    BytesOut,        // bout
    DeniedRequests,  // dreq
    DeniedResponses, // dresp
    RequestErrors,   // ereq
    ConnectErrors,   // econ
    ResponseErrors,  // eresp
    Retries,         // wretr
    Redispatches,    // wredis
    Selected,        // lbtot
    Hrsp1xx, Hrsp2xx, Hrsp3xx, Hrsp4xx, Hrsp5xx, HrspOther,
    Requests,        // req_tot
    ClientAborts,    // cli_abrt
    ServerAborts,    // srv_abrt
    Connections,     // conn_tot (frontends)
    Intercepted,     // intercepted (stats page, monitor-uri)
    DeniedConnections, // dcon
    DeniedSessions,  // dses
    FailedRewrites,  // wrew
    Connects,        // connect: connection attempts to servers
    Reuses,          // reuse: requests sent over a kept-alive server connection
    InternalErrors,  // eint
    H1Connections,   // h1_total_connections
    H1Streams,       // h1_total_streams
    H1BytesIn,       // h1_bytes_in
    H1BytesOut,      // h1_bytes_out
}

/// <summary>
/// The live statistics of one frontend, backend or server: striped cumulative counters, the
/// session/request/connection rates, the sliding averages of queue/connect/response/total times
/// and the time of the last session. Everything is lock-free; the sessions only ever add.
/// </summary>
public sealed class TrafficCounters
{
    private static readonly int CounterCount = Enum.GetValues<Counter>().Length;
    private readonly StripedCounters _counters = new(CounterCount);
    private long _lastSessionTicks;
    private long _queueMax;

    /// <summary>Sessions in progress (a backend's scur/smax).</summary>
    public SessionGauge Active { get; } = new();

    public RateCounter SessionRate { get; } = new();
    public RateCounter RequestRate { get; } = new();
    public RateCounter ConnectionRate { get; } = new();
    public SlidingAverage QueueTime { get; } = new();
    public SlidingAverage ConnectTime { get; } = new();
    public SlidingAverage ResponseTime { get; } = new();
    public SlidingAverage TotalTime { get; } = new();

    public long this[Counter c] => _counters.Get((int)c);

    public void Increment(Counter c) => _counters.Increment((int)c);
    public void Add(Counter c, long n) { if (n != 0) _counters.Add((int)c, n); }

    /// <summary>A response with this status went out (hrsp_1xx .. hrsp_other).</summary>
    public void Status(int status) => _counters.Increment((int)StatusCounter(status));

    public static Counter StatusCounter(int status) => status switch
    {
        >= 100 and < 200 => Counter.Hrsp1xx,
        >= 200 and < 300 => Counter.Hrsp2xx,
        >= 300 and < 400 => Counter.Hrsp3xx,
        >= 400 and < 500 => Counter.Hrsp4xx,
        >= 500 and < 600 => Counter.Hrsp5xx,
        _ => Counter.HrspOther,
    };

    /// <summary>
    /// A session (in HTTP, a request) was given to this server or backend: lbtot, lastsess, and
    /// for a backend stot and the session rate (a server counts those per connection attempt).
    /// </summary>
    public void Assigned(bool balanced, bool countSession = true)
    {
        if (countSession)
        {
            _counters.Increment((int)Counter.Sessions);
            SessionRate.Add();
        }
        if (balanced) _counters.Increment((int)Counter.Selected);
        Volatile.Write(ref _lastSessionTicks, Stopwatch.GetTimestamp());
    }

    /// <summary>Seconds since the last session (lastsess); -1 when there was none.</summary>
    public long SecondsSinceLastSession
    {
        get
        {
            long t = Volatile.Read(ref _lastSessionTicks);
            return t == 0 ? -1 : (Stopwatch.GetTimestamp() - t) / Stopwatch.Frequency;
        }
    }

    /// <summary>A queue length seen (qmax).</summary>
    public void ObserveQueue(long length)
    {
        long max;
        while (length > (max = Volatile.Read(ref _queueMax)) && Interlocked.CompareExchange(ref _queueMax, length, max) != max) { }
    }

    public long QueueMax => Volatile.Read(ref _queueMax);

    /// <summary>The times of one finished transfer, in ms (negative: that step did not happen).</summary>
    public void Times(long queueMs, long connectMs, long responseMs, long totalMs)
    {
        QueueTime.Add(queueMs);
        ConnectTime.Add(connectMs);
        if (responseMs >= 0) ResponseTime.Add(responseMs);
        TotalTime.Add(totalMs);
    }

    /// <summary>'clear counters': the maximums only.</summary>
    public void ClearMax()
    {
        Active.ClearMax();
        Volatile.Write(ref _queueMax, 0);
        SessionRate.ResetMax();
        RequestRate.ResetMax();
        ConnectionRate.ResetMax();
        QueueTime.ResetMax();
        ConnectTime.ResetMax();
        ResponseTime.ResetMax();
        TotalTime.ResetMax();
    }

    /// <summary>'clear counters all': every counter and maximum.</summary>
    public void ClearAll()
    {
        for (int i = 0; i < CounterCount; i++) _counters.Reset(i);
        Active.ClearTotal();
        ClearMax();
        QueueTime.Reset();
        ConnectTime.Reset();
        ResponseTime.Reset();
        TotalTime.Reset();
        Volatile.Write(ref _lastSessionTicks, 0);
    }
}
