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
    private long _bytesIn;
    private long _bytesOut;
    private long _requestErrors;

    public FrontendRuntime(Proxy config, BackendRegistry backends)
    {
        Config = config;
        MaxConn = config.MaxConn ?? 0;
        // errorfiles are read and rendered once per frontend, never per connection.
        ErrorPages = Http.ErrorPageSet.For(config);
        StatsPage = Stats.StatsPage.For(config, backends);
        // ACLs, switching and http-request/response rules, compiled once (Rules/).
        Rules = new Rules.FrontendRules(config, backends, ErrorPages, StatsPage);
        // default_backend, else the listen section itself; use_backend rules choose per request.
        DefaultBackend = Rules.DefaultBackend;
        HttpClose = config.HasOption("httpclose");
        HttpServerClose = config.HasOption("http-server-close");
        AbortOnClose = config.HasOption("abortonclose") || DefaultBackend?.Snapshot.Config.HasOption("abortonclose") == true;
    }

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

    /// <summary>0: no frontend limit (the global maxconn still applies).</summary>
    public int MaxConn { get; }

    public long CurrentSessions => _sessions.Current;
    public long TotalSessions => _sessions.Total;
    public long MaxSessions => _sessions.Max;
    public long BytesIn => Volatile.Read(ref _bytesIn);
    public long BytesOut => Volatile.Read(ref _bytesOut);
    public long RequestErrors => Volatile.Read(ref _requestErrors);

    public void SessionOpened() => _sessions.Opened();
    public void SessionClosed() => _sessions.Closed();
    public void AddBytesIn(long n) => Interlocked.Add(ref _bytesIn, n);
    public void AddBytesOut(long n) => Interlocked.Add(ref _bytesOut, n);
    public void RequestFailed() => Interlocked.Increment(ref _requestErrors);
}
