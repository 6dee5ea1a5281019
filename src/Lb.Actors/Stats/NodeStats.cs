using System.Collections.Immutable;
using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Config.Model;

namespace Lb.Actors.Stats;

/// <summary>
/// One proxy as the stats and the runtime API see it: its config, haproxy's proxy id (iid), and
/// the runtime parts it has — a frontend's counters, a backend's published state — plus the
/// actors that own them (for admin changes).
/// </summary>
public sealed class ProxyStats
{
    public ProxyStats(Proxy config, int id, BackendHandle? backend)
    {
        Config = config;
        Id = id;
        Backend = backend;
    }

    public Proxy Config { get; }
    public string Name => Config.Name;

    /// <summary>haproxy's proxy id: 'id N' or the next free number in config order.</summary>
    public int Id { get; }

    public BackendHandle? Backend { get; }
    public FrontendRuntime? Frontend { get; internal set; }
    public IActorRef? BackendActor { get; internal set; }
    public IActorRef? FrontendActor { get; internal set; }
}

/// <summary>
/// What the stats page and the runtime API read about the whole node: every proxy in config
/// order with its id, the process facts of 'show info' and the node-wide limits. Built once by
/// LbRoot; the counters it points at are live.
/// </summary>
public sealed class NodeStats
{
    private readonly Dictionary<string, ProxyStats> _byName = new(StringComparer.Ordinal);

    public NodeStats(LbConfig? config, BackendRegistry backends, ConnectionLimiter? global = null)
    {
        Config = config;
        GlobalLimit = global;
        var proxies = config?.Proxies.Where(p => p.Kind != SectionKind.Defaults).ToList()
            ?? backends.All.Select(b => b.Snapshot.Config).ToList();
        // haproxy numbers proxies from 1 in config order, skipping ids set with 'id'; with a
        // stats socket its internal CLI proxy takes the first one.
        var taken = proxies.Where(p => p.Id is not null).Select(p => p.Id!.Value).ToHashSet();
        int next = config is { Global.StatsSockets.IsEmpty: false } ? 2 : 1;
        var list = ImmutableArray.CreateBuilder<ProxyStats>();
        foreach (var p in proxies)
        {
            int id = p.Id ?? NextFree(ref next, taken);
            var entry = new ProxyStats(p, id, p.IsBackend ? backends.Find(p.Name) : null);
            list.Add(entry);
            _byName.TryAdd(p.Name, entry);
        }
        Proxies = list.ToImmutable();
        Backends = backends;
        // The node's view of these backends: pages built from the registry alone find it (Standalone).
        if (config != null) Registered.AddOrUpdate(backends, this);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BackendRegistry, NodeStats> Registered = new();

    private static int NextFree(ref int next, HashSet<int> taken)
    {
        while (taken.Contains(next)) next++;
        return next++;
    }

    /// <summary>
    /// The node built over these backends when there is one (a stats page compiled with the rules
    /// of a listen section then sees every proxy), else a view over the backends alone.
    /// </summary>
    public static NodeStats Standalone(BackendRegistry backends) =>
        Registered.TryGetValue(backends, out var node) ? node : new(null, backends);

    public LbConfig? Config { get; }
    public BackendRegistry Backends { get; }
    public ImmutableArray<ProxyStats> Proxies { get; }
    public ConnectionLimiter? GlobalLimit { get; }

    public ProxyStats? Find(string name) => _byName.GetValueOrDefault(name);

    public DateTime StartedUtc { get; } = DateTime.UtcNow;
    public long StartedMs { get; } = Environment.TickCount64;
    public int Pid { get; } = Environment.ProcessId;

    public string NodeName => Config?.Global.NodeName ?? Environment.MachineName;

    /// <summary>The runtime limits the API can change ('set maxconn global', 'set rate-limit').</summary>
    public NodeLimits Limits { get; } = new();

    /// <summary>Connections and sessions accepted by every frontend, per second (ConnRate, SessRate).</summary>
    public RateCounter ConnectionRate { get; } = new();
    public RateCounter SessionRate { get; } = new();

    /// <summary>The ACL engine's pattern lists for 'show|add|del acl|map'; null until the ACL engine exists.</summary>
    public Admin.IPatternAdmin? Patterns { get; set; }

    /// <summary>The actor system the node runs in (set by LbRoot): the exporter reads the cluster's state through it.</summary>
    public ActorSystem? System { get; set; }

    /// <summary>Requests and responses rejected as invalid ('show errors').</summary>
    public ErrorCapture Errors { get; } = new();

    /// <summary>Total connections and HTTP requests received by every frontend.</summary>
    public (long Connections, long Requests, long Current) Totals()
    {
        long conns = 0, reqs = 0, cur = 0;
        foreach (var p in Proxies)
        {
            if (p.Frontend is not { } fe) continue;
            conns += fe.Counters[Counter.Connections];
            reqs += fe.Counters[Counter.Requests];
            cur += fe.CurrentSessions;
        }
        return (conns, reqs, cur);
    }
}

/// <summary>Node-wide rate limits set over the runtime API (0 = none).</summary>
public sealed class NodeLimits
{
    private int _connRate, _sessRate, _sslRate, _compRate;

    public int ConnectionRate { get => Volatile.Read(ref _connRate); set => Volatile.Write(ref _connRate, value); }
    public int SessionRate { get => Volatile.Read(ref _sessRate); set => Volatile.Write(ref _sessRate, value); }
    public int SslSessionRate { get => Volatile.Read(ref _sslRate); set => Volatile.Write(ref _sslRate, value); }
    public int CompressionRate { get => Volatile.Read(ref _compRate); set => Volatile.Write(ref _compRate, value); }
}
