using System.Net;
using Lb.Config.Model;
using Lb.Actors.Health;
using Lb.Actors.Stats;

namespace Lb.Actors.Backends;

/// <summary>
/// One server's live, lock-free counters and its resolved address. Shared by the backend actor
/// (which owns the admin/health state) and the sessions (which bump the counters on the hot path).
/// </summary>
public sealed class ServerRuntime
{
    private readonly Stats.SessionGauge _conns = new();
    private readonly SemaphoreSlim? _slots;
    private long _queued;
    private int _weight;
    private Action<ServerRuntime>? _loadChanged;

    public ServerRuntime(Server config, string backend, int id, IPEndPoint? endpoint)
    {
        Config = config;
        Backend = backend;
        Id = id;
        EndPoint = endpoint;
        if (config.MaxConn > 0) _slots = new SemaphoreSlim(config.MaxConn, config.MaxConn);
        _weight = config.Weight;
        if (config.Observe != ObserveMode.None) Observer = new PassiveObserver(config.Observe, config.ErrorLimit);
        // Every server can have its sessions cut ('shutdown sessions server', on-marked-down ...).
        _shutdown = new CancellationTokenSource();
        if (config.Disabled) _admin = (int)AdminFlags.Maint;
        _health = ServerHealth.Initial(config, new HealthMachine(config.Rise, config.Fall, config.Check, config.Disabled));
    }

    private ServerHealth _health;
    private int _rampWeight = -1;
    private CancellationTokenSource? _shutdown;

    /// <summary>Health as the stats show it (status, last check, chkfail, chkdown, lastchg, downtime).</summary>
    public ServerHealth Health => Volatile.Read(ref _health);

    internal void PublishHealth(ServerHealth health) => Volatile.Write(ref _health, health);

    /// <summary>
    /// The weight balancing should use now: the user <see cref="Weight"/>, ramped up from 1
    /// during 'slowstart' after the server came back. (The balancers still read Weight: haproxy
    /// ramps only the dynamic algorithms, and wiring that in is left to the balancing code.)
    /// </summary>
    public int EffectiveWeight => Volatile.Read(ref _rampWeight) is var r and >= 0 ? r : Weight;

    /// <summary>The slowstart ramp's current weight; null when the ramp is over.</summary>
    internal void SetRampWeight(int? weight) => Volatile.Write(ref _rampWeight, weight ?? -1);

    /// <summary>'observe layer4|layer7': counts errors seen in traffic; null without 'observe'.</summary>
    public PassiveObserver? Observer { get; }

    /// <summary>
    /// Cancelled when this server's sessions must be cut ('on-marked-down shutdown-sessions',
    /// or a backup's sessions on 'on-marked-up shutdown-backup-sessions'). Sessions holding a
    /// connection to the server register on it; CancellationToken.None for other servers.
    /// </summary>
    public CancellationToken ShutdownToken => Volatile.Read(ref _shutdown)?.Token ?? default;

    /// <summary>Cuts the sessions registered so far; later sessions get a fresh token.</summary>
    internal void ShutdownSessions()
    {
        if (_shutdown is null) return;
        Interlocked.Exchange(ref _shutdown, new CancellationTokenSource()).Cancel();
    }

    /// <summary>The user weight (0..256): the configured one until the runtime API changes it
    /// through the backend actor, which then publishes a new snapshot.</summary>
    public int Weight
    {
        get => Volatile.Read(ref _weight);
        internal set => Volatile.Write(ref _weight, value);
    }

    /// <summary>
    /// Registers the one callback told after the server's connection or queue count changed
    /// (leastconn re-sorts the server with it); null removes it.
    /// </summary>
    public void OnLoadChanged(Action<ServerRuntime>? callback) => Volatile.Write(ref _loadChanged, callback);

    private void LoadChanged() => Volatile.Read(ref _loadChanged)?.Invoke(this);

    /// <summary>HAProxy's test for a server that may take one more connection now: no maxconn,
    /// or no queue and a free slot.</summary>
    public bool HasRoom => Config.MaxConn == 0 || (Queued == 0 && CurrentConns < Config.MaxConn);

    /// <summary>Requests waiting for a connection slot (HAProxy's qcur).</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// Waits for one of the server's 'maxconn' slots (immediately true without maxconn). False when
    /// 'timeout queue' expired or the server's queue is full ('maxqueue'): the caller answers 503.
    /// A slot is held until <see cref="ConnectionClosed"/>.
    /// </summary>
    public async Task<bool> AcquireSlotAsync(TimeSpan queueTimeout, CancellationToken ct)
    {
        if (_slots is null || _slots.Wait(0)) return true;
        if (Config.MaxQueue > 0 && Queued >= Config.MaxQueue) return false;
        Stats.ObserveQueue(Interlocked.Increment(ref _queued));
        BackendStats?.ObserveQueue(Queued);
        LoadChanged();
        try { return await _slots.WaitAsync(queueTimeout, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { return false; }
        finally
        {
            Interlocked.Decrement(ref _queued);
            LoadChanged();
        }
    }

    /// <summary>Gives a slot back when a connection attempt failed before it was opened.</summary>
    public void ReleaseSlot() => _slots?.Release();

    public Server Config { get; }
    public string Backend { get; }
    public string Name => Config.Name;
    public int Id { get; }

    /// <summary>Resolved at startup; null when the address could not be resolved (server unusable).</summary>
    public IPEndPoint? EndPoint { get; }

    public long CurrentConns => _conns.Current;
    public long MaxConns => _conns.Max;
    public long TotalConns => _conns.Total;
    public long BytesIn => Stats[Counter.BytesIn];
    public long BytesOut => Stats[Counter.BytesOut];
    public long ConnectErrors => Stats[Counter.ConnectErrors];
    public long ResponseErrors => Stats[Counter.ResponseErrors];
    public long Retries => Stats[Counter.Retries];
    public long Redispatches => Stats[Counter.Redispatches];

    /// <summary>This server's 'show stat' counters.</summary>
    public TrafficCounters Stats { get; } = new();

    /// <summary>The backend's counters, which every server event also feeds (set by the backend's handle).</summary>
    public TrafficCounters? BackendStats { get; internal set; }

    /// <summary>Admin state set by the runtime API or the stats page (MAINT, DRAIN, checks off); read by the stats.</summary>
    public AdminFlags Admin
    {
        get => (AdminFlags)Volatile.Read(ref _admin);
        internal set => Volatile.Write(ref _admin, (int)value);
    }

    private int _admin;

    /// <summary>'clear counters' (maximums) or 'clear counters all'.</summary>
    public void ClearCounters(bool all)
    {
        _conns.ClearMax();
        if (all) { _conns.ClearTotal(); Stats.ClearAll(); }
        else Stats.ClearMax();
    }

    public void ConnectionOpened()
    {
        _conns.Opened();
        BackendStats?.Active.Entered();
        Observer?.ConnectOk();
        LoadChanged();
    }

    public void ConnectionClosed()
    {
        _conns.Closed();
        BackendStats?.Active.Closed();
        _slots?.Release();
        LoadChanged();
    }

    /// <summary>Bytes of the client side of a session served by this server (haproxy counts those, not the server socket's).</summary>
    public void AddBytesIn(long n)
    {
        Stats.Add(Counter.BytesIn, n);
        BackendStats?.Add(Counter.BytesIn, n);
    }

    public void AddBytesOut(long n)
    {
        Stats.Add(Counter.BytesOut, n);
        BackendStats?.Add(Counter.BytesOut, n);
    }

    /// <summary>One connection attempt (connect, and stot: haproxy counts each attempt as a session of the server).</summary>
    public void ConnectAttempt()
    {
        Stats.Increment(Counter.Connects);
        Stats.Increment(Counter.Sessions);
        Stats.SessionRate.Add();
        BackendStats?.Increment(Counter.Connects);
    }

    /// <summary>A request sent over a kept-alive connection to this server (reuse, stot).</summary>
    public void ConnectionReused()
    {
        Stats.Increment(Counter.Reuses);
        Stats.Increment(Counter.Sessions);
        Stats.SessionRate.Add();
        BackendStats?.Increment(Counter.Reuses);
    }

    /// <summary>One failed attempt (feeds 'observe layer4'; econ counts the request once, in <see cref="ConnectGaveUp"/>).</summary>
    public void ConnectFailed() => Observer?.ConnectFailed();

    /// <summary>Connecting failed for good after the retries (econ).</summary>
    public void ConnectGaveUp()
    {
        Stats.Increment(Counter.ConnectErrors);
        BackendStats?.Increment(Counter.ConnectErrors);
    }

    public void ResponseFailed()
    {
        Stats.Increment(Counter.ResponseErrors);
        BackendStats?.Increment(Counter.ResponseErrors);
        Observer?.ResponseFailed();
    }

    public void Retried()
    {
        Stats.Increment(Counter.Retries);
        BackendStats?.Increment(Counter.Retries);
    }

    public void Redispatched()
    {
        Stats.Increment(Counter.Redispatches);
        BackendStats?.Increment(Counter.Redispatches);
    }

    /// <summary>A response with this status came from the server (hrsp_*, server and backend).</summary>
    public void CountStatus(int status)
    {
        Stats.Status(status);
        BackendStats?.Status(status);
        Observer?.HttpStatus(status);
    }
}

/// <summary>A server's administrative state, as haproxy's srv_admin_state (plus the checks switches).</summary>
[Flags]
public enum AdminFlags
{
    None = 0,
    Maint = 1,          // forced maintenance: 'disable server', 'set server ... state maint', 'disabled'
    Drain = 2,          // forced drain: no new balanced traffic, persistence still honoured
    ChecksDisabled = 4, // 'disable health'
    AgentDisabled = 8,  // 'disable agent'
}
