using System.Net;
using Lb.Config.Model;

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

    public ServerRuntime(Server config, string backend, int id, IPEndPoint? endpoint)
    {
        Config = config;
        Backend = backend;
        Id = id;
        EndPoint = endpoint;
        if (config.MaxConn > 0) _slots = new SemaphoreSlim(config.MaxConn, config.MaxConn);
    }

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
        try { return await _slots.WaitAsync(queueTimeout, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { return false; }
        finally { Interlocked.Decrement(ref _queued); }
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

    public void ConnectionOpened() => _conns.Opened();
    public void ConnectionClosed()
    {
        _conns.Closed();
        _slots?.Release();
    }
    public void AddBytesIn(long n) => Interlocked.Add(ref _bytesIn, n);
    public void AddBytesOut(long n) => Interlocked.Add(ref _bytesOut, n);
    public void ConnectFailed() => Interlocked.Increment(ref _connectErrors);
    public void ResponseFailed() => Interlocked.Increment(ref _responseErrors);
    public void Retried() => Interlocked.Increment(ref _retries);
    public void Redispatched() => Interlocked.Increment(ref _redispatches);
}
