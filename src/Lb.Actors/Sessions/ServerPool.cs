using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Actors.Sessions;

/// <summary>
/// One server's idle HTTP connections, shared by every client session of the node (HAProxy's
/// per-server idle and safe lists, 'http-reuse'). A connection whose response is complete comes
/// back here instead of staying with its session; a later request to the server takes it.
/// - Two FIFO lists: "safe" connections have served more than one request (proven reusable),
///   "idle" ones only one. Takers get a safe one first (what haproxy 2.6.12 was seen to do).
/// - Admission, as haproxy's srv_add_to_idle_list: a connection is kept when no safe one is idle
///   (and it is safe, or no idle one waits), or when used + idle connections stay within the need
///   estimated at the last purges (+ 'pool-low-conn'); never beyond 'pool-max-conn' (-1: no
///   limit), never with 'pool-purge-delay 0'. A connection not kept is closed.
/// - Every 'pool-purge-delay' (default 5 s, <see cref="Purge"/>) half of the connections beyond the
///   estimated need are closed, and connections the server closed meanwhile are dropped.
/// - A connection idle for more than <see cref="CheckIdleAfter"/> is checked before it is handed
///   out (a readable idle socket means the server closed it or sent garbage): such a one is
///   closed and the next one tried. One idle for less is handed out unchecked: the check is a
///   poll() (about 1.5 µs of CPU, 4% of a proxied request), servers close idle connections after
///   seconds, and a request that meets a connection closed anyway is sent again on a new one.
/// One lock per server, held for a list operation; the check and every close happen outside it.
/// </summary>
internal sealed class ServerPool
{
    public static readonly TimeSpan DefaultPurgeDelay = TimeSpan.FromSeconds(5);

    /// <summary>Idle connections younger than this (ms) are handed out without the poll() check.</summary>
    public long CheckIdleAfter { get; set; } = 100;

    private readonly object _lock = new();
    private readonly ChannelQueue _idle = new(), _safe = new();
    private readonly int _maxIdle, _lowIdle;
    private int _used, _maxUsed, _estimatedNeed;

    public ServerPool(int maxIdle = -1, TimeSpan? purgeDelay = null, int lowIdle = 0)
    {
        _maxIdle = maxIdle;
        _lowIdle = Math.Max(0, lowIdle);
        PurgeDelay = purgeDelay ?? DefaultPurgeDelay;
    }

    /// <summary>The pool of a server line: 'pool-max-conn', 'pool-purge-delay', 'pool-low-conn'.</summary>
    public static ServerPool For(Server config)
    {
        int maxIdle = config.OtherOptions.TryGetValue("pool-max-conn", out var m) && int.TryParse(m, out var mv) ? mv : -1;
        int low = config.OtherOptions.TryGetValue("pool-low-conn", out var l) && int.TryParse(l, out var lv) ? lv : 0;
        TimeSpan? purge = config.OtherOptions.TryGetValue("pool-purge-delay", out var p) && TimeParser.TryParse(p, "pool-purge-delay", out var pv) is null ? pv : null;
        return new ServerPool(maxIdle, purge, low);
    }

    /// <summary>How often <see cref="Purge"/> should run.</summary>
    public TimeSpan PurgeDelay { get; }

    /// <summary>False with 'pool-max-conn 0' or 'pool-purge-delay 0': no connection is ever kept idle.</summary>
    public bool KeepsIdle => PurgeDelay > TimeSpan.Zero && _maxIdle != 0;

    public int IdleCount { get { lock (_lock) return _idle.Count + _safe.Count; } }

    /// <summary>Idle connections that served one request ("unsafe") and more than one ("safe"), for the stats.</summary>
    public (int Unsafe, int Safe) IdleCounts { get { lock (_lock) return (_idle.Count, _safe.Count); } }

    /// <summary>Connections of this server serving a request now.</summary>
    public int UsedCount { get { lock (_lock) return _used; } }

    private int _epoch;

    /// <summary>A new connection to the server, busy with its first request; returns the pool's
    /// epoch, which the connection must still match to be parked (see <see cref="Forget"/>).</summary>
    public int Opened()
    {
        lock (_lock)
        {
            CountUsed();
            return _epoch;
        }
    }

    /// <summary>A busy connection was closed.</summary>
    public void UsedClosed()
    {
        lock (_lock) _used--;
    }

    /// <summary>
    /// An idle connection, or null. <paramref name="safeOnly"/>: only one that served more than
    /// one request ('http-reuse aggressive' for a first request).
    /// </summary>
    public ServerChannel? TryTake(bool safeOnly = false)
    {
        // Bounded: each round closes one dead connection.
        for (int round = 0; round < 64; round++)
        {
            ServerChannel? c;
            lock (_lock)
            {
                c = _safe.Dequeue() ?? (safeOnly ? null : _idle.Dequeue());
                if (c is null) return null;
                c.Idle = false;
                CountUsed();
            }
            // Outside the lock: one poll() to see whether the server closed it while it was idle.
            if (Environment.TickCount64 - c.ParkedAt < CheckIdleAfter || c.IsReusable()) return c;
            c.Dispose(); // counted as used above: Dispose gives that back
        }
        return null;
    }

    /// <summary>Takes back a connection whose exchange is over; false: not kept, the caller closes it.</summary>
    public bool TryPark(ServerChannel c)
    {
        bool safe = c.Uses > 1;
        lock (_lock)
        {
            if (c.PoolEpoch != _epoch) return false; // opened to an address the server no longer has
            int idle = _idle.Count + _safe.Count;
            bool keep = KeepsIdle && (_maxIdle < 0 || idle < _maxIdle)
                && ((_safe.Count == 0 && (safe || _idle.Count == 0))
                    || _used + idle <= Math.Max(_used, _estimatedNeed) + _lowIdle);
            if (!keep) return false;
            (safe ? _safe : _idle).Enqueue(c);
            c.Idle = true;
            c.ParkedAt = Environment.TickCount64;
            _used--;
            return true;
        }
    }

    /// <summary>
    /// HAProxy's srv_cleanup_idle_conns: closes half of the connections beyond the need seen since
    /// the last purge (idle ones first, oldest first), and any the server closed. Returns how many.
    /// </summary>
    public int Purge()
    {
        ServerChannel[] kill, keep;
        lock (_lock)
        {
            int idle = _idle.Count + _safe.Count;
            int exceed = _used + idle - Math.Max(_maxUsed, _estimatedNeed);
            int toKill = exceed > 0 ? Math.Min(idle, exceed / 2 + (exceed & 1)) : 0;
            _estimatedNeed = Math.Max((_estimatedNeed + _maxUsed) / 2, _maxUsed);
            _maxUsed = _used;
            if (idle == 0) return 0;
            // The oldest idle ones first, then the oldest safe ones.
            kill = new ServerChannel[toKill];
            for (int i = 0; i < toKill; i++)
            {
                var c = (_idle.Dequeue() ?? _safe.Dequeue())!;
                c.Idle = false;
                kill[i] = c;
            }
            keep = new ServerChannel[idle - toKill];
            int n = 0;
            for (int i = 0; i < _idle.Count; i++) keep[n++] = _idle.Peek(i);
            for (int i = 0; i < _safe.Count; i++) keep[n++] = _safe.Peek(i);
        }
        foreach (var c in kill) c.Dispose(idle: true);
        int closed = kill.Length;
        // Those the server closed meanwhile (a concurrent taker may have had one first: Remove tells).
        foreach (var c in keep)
        {
            if (c.IsReusable() || !Remove(c)) continue;
            c.Dispose(idle: true);
            closed++;
        }
        return closed;
    }

    /// <summary>Closes every idle connection (the server went DOWN, the backend stops).</summary>
    public int Drain()
    {
        var closing = new List<ServerChannel>();
        lock (_lock)
        {
            while (_idle.Dequeue() is { } c) closing.Add(c);
            while (_safe.Dequeue() is { } c) closing.Add(c);
        }
        foreach (var c in closing) c.Dispose(idle: true);
        return closing.Count;
    }

    /// <summary>The server's address changed: idle connections close, busy ones close after their exchange.</summary>
    public int Forget()
    {
        lock (_lock) _epoch++;
        return Drain();
    }

    private bool Remove(ServerChannel c)
    {
        lock (_lock)
        {
            if (!c.Idle || !(_idle.Remove(c) || _safe.Remove(c))) return false;
            c.Idle = false;
            return true;
        }
    }

    private void CountUsed()
    {
        _used++;
        if (_used > _maxUsed) _maxUsed = _used;
    }

    /// <summary>A growable ring buffer of connections (no allocation once it has grown).</summary>
    private sealed class ChannelQueue
    {
        private ServerChannel?[] _items = new ServerChannel?[4];
        private int _head, _count;

        public int Count => _count;

        public void Enqueue(ServerChannel c)
        {
            if (_count == _items.Length)
            {
                var bigger = new ServerChannel?[_items.Length * 2];
                for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) % _items.Length];
                _items = bigger;
                _head = 0;
            }
            _items[(_head + _count) % _items.Length] = c;
            _count++;
        }

        public ServerChannel Peek(int i) => _items[(_head + i) % _items.Length]!;

        public ServerChannel? Dequeue()
        {
            if (_count == 0) return null;
            var c = _items[_head];
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            return c;
        }

        public bool Remove(ServerChannel c)
        {
            for (int i = 0; i < _count; i++)
            {
                int at = (_head + i) % _items.Length;
                if (!ReferenceEquals(_items[at], c)) continue;
                // Shift the later ones down by one to keep the order.
                for (int j = i; j < _count - 1; j++)
                    _items[(_head + j) % _items.Length] = _items[(_head + j + 1) % _items.Length];
                _items[(_head + _count - 1) % _items.Length] = null;
                _count--;
                return true;
            }
            return false;
        }
    }
}
