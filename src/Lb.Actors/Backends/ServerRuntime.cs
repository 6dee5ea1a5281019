using System.Net;
using Lb.Config.Model;
using Lb.Actors.Health;
using Lb.Actors.Queueing;
using Lb.Actors.Stats;

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
        _endPoint = endpoint;
        _weight = config.Weight;
        _maxConn = config.MaxConn;
        _slotLimit = config.MaxConn;
        if (config.Observe != ObserveMode.None) Observer = new PassiveObserver(config.Observe, config.ErrorLimit);
        // Every server can have its sessions cut ('shutdown sessions server', on-marked-down ...).
        _shutdown = new CancellationTokenSource();
        if (config.Disabled) _admin = (int)AdminFlags.Maint;
        _health = ServerHealth.Initial(config, new HealthMachine(config.Rise, config.Fall, config.Check, config.Disabled));
        if (AgentSettings.For(config) != null) _agent = AgentHealth.Initial;
    }

    private AgentHealth? _agent;

    /// <summary>The agent check's state ('agent-check'), null without one; set by the backend actor.</summary>
    public AgentHealth? Agent
    {
        get => Volatile.Read(ref _agent);
        internal set => Volatile.Write(ref _agent, value);
    }

    private ServerHealth _health;
    private int _weightFactor = SlowStart.FullFactor;
    private int _slotLimit;
    private int _maxConn;
    private IPEndPoint? _endPoint;
    private CancellationTokenSource? _shutdown;

    /// <summary>'maxconn' now: the configured one until 'set maxconn server' changes it (0 = no limit).</summary>
    public int MaxConn => Volatile.Read(ref _maxConn);

    /// <summary>Whether requests take slots under the backend's queue lock (a maxconn is set).</summary>
    public bool Limited => Volatile.Read(ref _maxConn) != 0;

    /// <summary>Sets maxconn and the connection limit (the backend actor, which then lets queued requests in).</summary>
    internal void SetMaxConn(int maxConn, int slotLimit)
    {
        Volatile.Write(ref _maxConn, maxConn);
        Volatile.Write(ref _slotLimit, slotLimit);
    }

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
    /// <param name="cause">the termination cause their log lines show: 'D' the server went down, 'K' killed by an admin</param>
    internal void ShutdownSessions(char cause = 'D')
    {
        if (_shutdown is null) return;
        Volatile.Write(ref _shutdownCause, (int)cause);
        Interlocked.Exchange(ref _shutdown, new CancellationTokenSource()).Cancel();
    }

    private int _shutdownCause = 'D';

    /// <summary>Why the last <see cref="ShutdownSessions"/> cut the sessions ('D' or 'K'), read by them as they end.</summary>
    public char ShutdownCause => (char)Volatile.Read(ref _shutdownCause);


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
    public bool HasRoom => !Limited || (Queued == 0 && CurrentConns < SlotLimit);

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
        BackendStats?.Active.Entered();
        LoadChanged();
    }

    internal void SlotReleased()
    {
        _conns.Closed();
        BackendStats?.Active.Closed();
        LoadChanged();
    }

    internal void QueueChanged(int length)
    {
        Volatile.Write(ref _queued, length);
        Stats.ObserveQueue(length);
    }

    public Server Config { get; }
    public string Backend { get; }
    public string Name => Config.Name;
    public int Id { get; }

    /// <summary>Resolved at startup, changed by 'set server ... addr'; null when the address could not be resolved (server unusable).</summary>
    public IPEndPoint? EndPoint
    {
        get => Volatile.Read(ref _endPoint);
        internal set => Volatile.Write(ref _endPoint, value);
    }

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
        _sockets.Opened();
        Observer?.ConnectOk();
    }

    public void ConnectionClosed() => _sockets.Closed();

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
