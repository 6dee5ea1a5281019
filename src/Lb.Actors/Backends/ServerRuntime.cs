using System.Net;
using Lb.Config.Model;
using Lb.Actors.Health;

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
    private long _bytesIn;
    private long _bytesOut;
    private long _connectErrors;
    private long _responseErrors;
    private long _retries;
    private long _redispatches;
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
        _slotLimit = config.MaxConn;
        if (config.Observe != ObserveMode.None) Observer = new PassiveObserver(config.Observe, config.ErrorLimit);
        // Only servers whose sessions may be cut pay for a token; the others hand out CancellationToken.None.
        if (config.OnMarkedDownShutdownSessions || config.Backup) _shutdown = new CancellationTokenSource();
        _health = ServerHealth.Initial(config, new HealthMachine(config.Rise, config.Fall, config.Check, config.Disabled));
    }

    private ServerHealth _health;
    private int _weightFactor = SlowStart.FullFactor;
    private int _slotLimit;
    private CancellationTokenSource? _shutdown;

    /// <summary>Health as the stats show it (status, last check, chkfail, chkdown, lastchg, downtime).</summary>
    public ServerHealth Health => Volatile.Read(ref _health);

    internal void PublishHealth(ServerHealth health) => Volatile.Write(ref _health, health);

    /// <summary>
    /// HAProxy's ratio of effective to user weight, 1..16: 16 at full speed, lower while
    /// 'slowstart' ramps a server that came back (dynamic algorithms only).
    /// </summary>
    public int WeightFactor => Volatile.Read(ref _weightFactor);

    /// <summary>HAProxy's effective weight (eweight): user weight x 16 at full speed, ramped during slowstart.
    /// The dynamic balancers (roundrobin, leastconn, random, consistent hashing) work with it.</summary>
    public int ScaledWeight => Weight * WeightFactor;

    /// <summary>The weight the stats show: the effective weight scaled back to the user's range, rounded up.</summary>
    public int EffectiveWeight => SlowStart.DisplayedWeight(Weight, WeightFactor);

    /// <summary>The connection limit now: 'maxconn' (0 = none), lower while slowstart ramps.</summary>
    public int SlotLimit => Volatile.Read(ref _slotLimit);

    /// <summary>The slowstart ramp's weight factor and connection limit (full values end the ramp).</summary>
    internal void SetRamp(int weightFactor, int slotLimit)
    {
        Volatile.Write(ref _weightFactor, weightFactor);
        Volatile.Write(ref _slotLimit, slotLimit);
    }

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

    /// <summary>A response status seen in traffic (for 'observe layer7').</summary>
    public void ObserveStatus(int status) => Observer?.HttpStatus(status);

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
    public bool HasRoom => Config.MaxConn == 0 || (Queued == 0 && CurrentConns < SlotLimit);

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
        Interlocked.Increment(ref _queued);
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
    public long BytesIn => Volatile.Read(ref _bytesIn);
    public long BytesOut => Volatile.Read(ref _bytesOut);
    public long ConnectErrors => Volatile.Read(ref _connectErrors);
    public long ResponseErrors => Volatile.Read(ref _responseErrors);
    public long Retries => Volatile.Read(ref _retries);
    public long Redispatches => Volatile.Read(ref _redispatches);

    public void ConnectionOpened()
    {
        _conns.Opened();
        Observer?.ConnectOk();
        LoadChanged();
    }

    public void ConnectionClosed()
    {
        _conns.Closed();
        _slots?.Release();
        LoadChanged();
    }
    public void AddBytesIn(long n) => Interlocked.Add(ref _bytesIn, n);
    public void AddBytesOut(long n) => Interlocked.Add(ref _bytesOut, n);
    public void ConnectFailed()
    {
        Interlocked.Increment(ref _connectErrors);
        Observer?.ConnectFailed();
    }
    public void ResponseFailed()
    {
        Interlocked.Increment(ref _responseErrors);
        Observer?.ResponseFailed();
    }
    public void Retried() => Interlocked.Increment(ref _retries);
    public void Redispatched() => Interlocked.Increment(ref _redispatches);
}
