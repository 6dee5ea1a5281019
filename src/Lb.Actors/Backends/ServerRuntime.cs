using System.Net;
using Lb.Config.Model;
using Lb.Actors.Health;
using Lb.Actors.Queueing;

namespace Lb.Actors.Backends;

/// <summary>
/// One server's live, lock-free counters and its resolved address. Shared by the backend actor
/// (which owns the admin/health state) and the sessions (which bump the counters on the hot path).
/// </summary>
public sealed class ServerRuntime
{
    private readonly Stats.SessionGauge _conns = new();
    private readonly Stats.SessionGauge _sockets = new();
    private long _queued;
    private long _bytesIn;
    private long _bytesOut;
    private long _connectErrors;
    private long _responseErrors;
    private long _retries;
    private long _redispatches;
    private int _weight;
    private Action<ServerRuntime>? _loadChanged;

    /// <param name="queue">the backend's queues, shared by its servers (a server of its own when null: unit tests)</param>
    public ServerRuntime(Server config, string backend, int id, IPEndPoint? endpoint, BackendQueue? queue = null)
    {
        Queue = queue ?? new BackendQueue();
        Pool = Sessions.ServerPool.For(config);
        Config = config;
        Backend = backend;
        Id = id;
        EndPoint = endpoint;
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
    /// Registers the one callback told after the server took or gave back a slot (leastconn
    /// re-sorts the server with it, as haproxy does on take/drop conn); null removes it.
    /// </summary>
    public void OnLoadChanged(Action<ServerRuntime>? callback) => Volatile.Write(ref _loadChanged, callback);

    private void LoadChanged() => Volatile.Read(ref _loadChanged)?.Invoke(this);

    /// <summary>Idle HTTP connections to this server, shared by the sessions ('http-reuse').</summary>
    internal Sessions.ServerPool Pool { get; }

    /// <summary>The backend's connection slots and queues (see <see cref="BackendQueue"/>).</summary>
    public BackendQueue Queue { get; }

    /// <summary>Requests waiting in this server's queue; guarded by the backend's queue lock.</summary>
    internal PendingList Pending { get; } = new();

    private int _balanced = 1;

    /// <summary>In the group the balancer picks from now (up, weight above 0, serving backup):
    /// such a server also takes requests from the backend's queue. Set by each new snapshot.</summary>
    public bool IsBalanced => Volatile.Read(ref _balanced) != 0;

    internal void SetBalanced(bool balanced) => Volatile.Write(ref _balanced, balanced ? 1 : 0);

    /// <summary>HAProxy's test for a server that may take one more request now: no maxconn, or
    /// no queue and a free slot.</summary>
    public bool HasRoom => Config.MaxConn == 0 || (Queued == 0 && CurrentConns < SlotLimit);

    /// <summary>Requests waiting in this server's own queue (HAProxy's qcur).</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>Takes a slot if one is free now, without queueing (see <see cref="BackendQueue.TryTake"/>).</summary>
    public bool TryTakeSlot() => Queue.TryTake(this);

    /// <summary>Gives a slot back; a waiting request may take it (see <see cref="BackendQueue.Release"/>).</summary>
    public void ReleaseSlot() => Queue.Release(this);

    // Called by BackendQueue (under its lock for servers with maxconn).
    internal void SlotTaken()
    {
        _conns.Opened();
        LoadChanged();
    }

    internal void SlotReleased()
    {
        _conns.Closed();
        LoadChanged();
    }

    internal void QueueChanged(int length) => Volatile.Write(ref _queued, length);

    public Server Config { get; }
    public string Backend { get; }
    public string Name => Config.Name;
    public int Id { get; }

    /// <summary>Resolved at startup; null when the address could not be resolved (server unusable).</summary>
    public IPEndPoint? EndPoint { get; }

    /// <summary>
    /// Sessions the server serves now (HAProxy's served, the stats' scur): a TCP connection, or an
    /// HTTP request from its assignment to the end of its response. Idle kept-alive connections do
    /// not count; 'maxconn' limits this number.
    /// </summary>
    public long CurrentConns => _conns.Current;
    public long MaxConns => _conns.Max;
    public long TotalConns => _conns.Total;

    /// <summary>Connections open to the server now, busy or idle.</summary>
    public long OpenConnections => _sockets.Current;
    public long BytesIn => Volatile.Read(ref _bytesIn);
    public long BytesOut => Volatile.Read(ref _bytesOut);
    public long ConnectErrors => Volatile.Read(ref _connectErrors);
    public long ResponseErrors => Volatile.Read(ref _responseErrors);
    public long Retries => Volatile.Read(ref _retries);
    public long Redispatches => Volatile.Read(ref _redispatches);

    public void ConnectionOpened()
    {
        _sockets.Opened();
        Observer?.ConnectOk();
    }

    public void ConnectionClosed() => _sockets.Closed();
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
