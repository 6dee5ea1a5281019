using Lb.Actors.Backends;
using Lb.Config.Model;

namespace Lb.Actors.Frontends;

/// <summary>
/// What a frontend's sessions share: its config, its resolved default backend, and lock-free
/// counters (current/total sessions, bytes) read by stats.
/// </summary>
public sealed class FrontendRuntime
{
    private readonly Stats.SessionGauge _sessions = new();
    private int _maxConn;
    private int _state;

    public FrontendRuntime(Proxy config, BackendRegistry backends, Stats.NodeStats? node = null)
    {
        Config = config;
        _maxConn = config.MaxConn ?? 0;
        Node = node ?? Stats.NodeStats.Standalone(backends);
        // errorfiles are read and rendered once per frontend, never per connection.
        ErrorPages = Http.ErrorPageSet.For(config);
        StatsPage = Stats.StatsPage.For(config, Node);
        // ACLs, switching and http-request/response rules, compiled once (Rules/).
        Rules = new Rules.FrontendRules(config, backends, ErrorPages, StatsPage);
        // default_backend, else the listen section itself; use_backend rules choose per request.
        DefaultBackend = Rules.DefaultBackend;
        HttpClose = config.HasOption("httpclose");
        HttpServerClose = config.HasOption("http-server-close");
        AbortOnClose = config.HasOption("abortonclose") || DefaultBackend?.Snapshot.Config.HasOption("abortonclose") == true;
    }

    /// <summary>The node's stats registry (the stats page reads every proxy through it).</summary>
    public Stats.NodeStats Node { get; }
    /// <summary>The traffic log; null when the frontend logs nowhere (sessions then skip all log work).</summary>
    public Logging.FrontendLog? Log { get; internal set; }

    /// <summary>The frontend's compiled ACLs and rules (Rules/FrontendRules).</summary>
    public Rules.FrontendRules Rules { get; }

    /// <summary>'stats enable': requests under 'stats uri' are answered here; null otherwise.</summary>
    public Stats.StatsPage? StatsPage { get; }

    // HTTP connection options, looked up once here rather than for every connection.
    public bool HttpClose { get; }
    public bool HttpServerClose { get; }
    public bool AbortOnClose { get; }

    /// <summary>This frontend's error pages ('errorfile' overrides on HAProxy's defaults).</summary>
    public Http.ErrorPageSet ErrorPages { get; }

    public Proxy Config { get; }
    public string Name => Config.Name;
    public BackendHandle? DefaultBackend { get; }

    /// <summary>0: no frontend limit (the global maxconn still applies). 'set maxconn frontend' changes it.</summary>
    public int MaxConn
    {
        get => Volatile.Read(ref _maxConn);
        set => Volatile.Write(ref _maxConn, Math.Max(0, value));
    }

    /// <summary>OPEN, or paused by 'disable frontend', or stopped by 'shutdown frontend' (the stats' status).</summary>
    public FrontendState State
    {
        get => (FrontendState)Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, (int)value);
    }

    private Stats.ListenerStats[] _listeners = [];

    /// <summary>The bound addresses, for 'option socket-stats' rows (filled when the frontend binds).</summary>
    public IReadOnlyList<Stats.ListenerStats> Listeners => Volatile.Read(ref _listeners);

    /// <summary>Adds a bound address (the frontend actor, while binding); readers see a new array.</summary>
    public void AddListener(Stats.ListenerStats listener) => Volatile.Write(ref _listeners, [.. _listeners, listener]);

    /// <summary>The listener an accepted socket came in on (null when unknown).</summary>
    public Stats.ListenerStats? ListenerOf(System.Net.EndPoint? local)
    {
        foreach (var l in Listeners) if (l.Accepts(local)) return l;
        return null;
    }

    /// <summary>This frontend's 'show stat' counters (FRONTEND row).</summary>
    public Stats.TrafficCounters Counters { get; } = new();

    public long CurrentSessions => _sessions.Current;
    public long TotalSessions => _sessions.Total;
    public long MaxSessions => _sessions.Max;
    public long BytesIn => Counters[Stats.Counter.BytesIn];
    public long BytesOut => Counters[Stats.Counter.BytesOut];
    public long RequestErrors => Counters[Stats.Counter.RequestErrors];

    public void SessionOpened()
    {
        _sessions.Opened();
        Counters.Increment(Stats.Counter.Connections);
        Counters.ConnectionRate.Add();
        Counters.SessionRate.Add();
        Node.ConnectionRate.Add();
        Node.SessionRate.Add();
        if (Config.Mode == ProxyMode.Http) Counters.Increment(Stats.Counter.H1Connections);
    }

    public void SessionClosed() => _sessions.Closed();

    public void AddBytesIn(long n)
    {
        Counters.Add(Stats.Counter.BytesIn, n);
        if (Config.Mode == ProxyMode.Http) Counters.Add(Stats.Counter.H1BytesIn, n);
    }

    public void AddBytesOut(long n)
    {
        Counters.Add(Stats.Counter.BytesOut, n);
        if (Config.Mode == ProxyMode.Http) Counters.Add(Stats.Counter.H1BytesOut, n);
    }

    /// <summary>An invalid or timed-out request (ereq), also on its listener's row when known.</summary>
    public void RequestFailed(System.Net.EndPoint? local = null)
    {
        Counters.Increment(Stats.Counter.RequestErrors);
        if (local != null && Listeners.Count > 0) ListenerOf(local)?.RequestFailed();
    }

    /// <summary>An HTTP request head was received (req_tot, req_rate).</summary>
    public void RequestReceived()
    {
        Counters.Increment(Stats.Counter.Requests);
        Counters.Increment(Stats.Counter.H1Streams);
        Counters.RequestRate.Add();
    }

    /// <summary>A response went to a client (hrsp_*).</summary>
    public void CountStatus(int status) => Counters.Status(status);

    /// <summary>'clear counters' (maximums) or 'clear counters all'.</summary>
    public void ClearCounters(bool all)
    {
        _sessions.ClearMax();
        if (all) { _sessions.ClearTotal(); Counters.ClearAll(); }
        else Counters.ClearMax();
    }
}

/// <summary>A frontend's listening state, as the stats show it.</summary>
public enum FrontendState { Open, Paused, Stopped }
