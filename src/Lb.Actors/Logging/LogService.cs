using System.Text;
using System.Threading.Channels;
using Lb.Config.Model;

namespace Lb.Actors.Logging;

/// <summary>
/// The node's log output. Sessions (and the backend actors, for health messages) post finished
/// lines into a bounded queue and never wait: when the queue is full the line is dropped and
/// counted. One dedicated sender thread drains the queue, adds each target's header and writes
/// the line to the target. Owned by the <see cref="LogActor"/> (/user/lb/log).
/// </summary>
public sealed class LogService : IDisposable
{
    public const int DefaultCapacity = 4096;

    private readonly Channel<LogMessage> _queue;
    private readonly Thread _sender;
    private readonly LogSink?[] _global;
    private readonly List<LogSink> _all = new();
    private readonly string? _globalTag;
    private readonly List<string> _problems = new();
    private long _queueDrops, _sendErrors, _sent, _requestIds;

    public LogService(LbConfig config, int capacity = DefaultCapacity) : this(config, capacity, startSender: true) { }

    /// <param name="startSender">false only in tests: nothing drains the queue, so it fills up</param>
    internal LogService(LbConfig config, int capacity, bool startSender)
    {
        Pid = Environment.ProcessId;
        Hostname = SendHostname(config.Global);
        _globalTag = config.Global.LogTag;
        _global = config.Global.Logs.Select(Build).ToArray();
        Buffers = new LineBufferPool(Math.Max(1, capacity) + 64);
        _queue = Channel.CreateBounded<LogMessage>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // never waited on: TryWrite fails when full
        });
        _sender = new Thread(Run) { IsBackground = true, Name = "lb-log-sender" };
        if (startSender) _sender.Start();
    }

    public int Pid { get; }

    /// <summary>'log-send-hostname [NAME]' in global: the host field of rfc3164/rfc5424 headers, else null.</summary>
    public string? Hostname { get; }

    /// <summary>Lines dropped because the queue was full (the sender could not keep up).</summary>
    public long QueueDrops => Volatile.Read(ref _queueDrops);

    /// <summary>Lines a target did not take (socket buffer full, no listener, closed output).</summary>
    public long SendErrors => Volatile.Read(ref _sendErrors);

    /// <summary>haproxy's "dropped logs": every line that was not delivered, for whatever reason.</summary>
    public long Dropped => QueueDrops + SendErrors;

    /// <summary>Lines handed to a target.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Targets and formats that could not be used, one sentence each, since the last call.</summary>
    public IReadOnlyList<string> TakeProblems()
    {
        lock (_problems)
        {
            var taken = _problems.ToArray();
            _problems.Clear();
            return taken;
        }
    }

    internal void Report(string problem)
    {
        lock (_problems) _problems.Add(problem);
    }

    private readonly Dictionary<string, Frontends.FrontendRuntime> _frontends = new(StringComparer.Ordinal);

    /// <summary>Frontends by name, for the stop messages' cumulated connection counts.</summary>
    internal void Register(Frontends.FrontendRuntime frontend)
    {
        lock (_frontends) _frontends[frontend.Name] = frontend;
    }

    internal Frontends.FrontendRuntime? FrontendNamed(string name)
    {
        lock (_frontends) return _frontends.GetValueOrDefault(name);
    }

    /// <summary>%rt: a node-wide counter of streams (HTTP requests, TCP sessions) that are logged.</summary>
    internal long NextRequestId() => Interlocked.Increment(ref _requestIds) - 1;

    /// <summary>The targets of one proxy, or null when it logs nowhere (then nothing is built at all).</summary>
    internal LogTargets? For(Proxy proxy)
    {
        lock (_byProxy)
        {
            if (!_byProxy.TryGetValue(proxy, out var targets)) _byProxy[proxy] = targets = Resolve(proxy);
            return targets;
        }
    }

    private readonly Dictionary<Proxy, LogTargets?> _byProxy = new(ReferenceEqualityComparer.Instance);

    private LogTargets? Resolve(Proxy proxy)
    {
        var sinks = new List<LogSink>();
        if (proxy.LogGlobal) sinks.AddRange(_global.OfType<LogSink>());
        foreach (var t in proxy.Logs)
            if (Build(t) is { } s) sinks.Add(s);
        if (sinks.Count == 0) return null;
        var tag = proxy.OtherDirectives.LastOrDefault(d => d.Keyword == "log-tag" && d.Words.Length > 1)?.Words[1];
        return new LogTargets(sinks.ToArray(), tag ?? _globalTag ?? "haproxy");
    }

    /// <summary>Where lines are built: rent here, <see cref="Post(LogTargets, int, byte[], int)"/> gives it back.</summary>
    internal LineBufferPool Buffers { get; }

    /// <summary>Queues a line built in a buffer rented from <see cref="Buffers"/>; the queue owns it now.</summary>
    internal bool Post(LogTargets targets, int level, byte[] buffer, int length)
    {
        if (_queue.Writer.TryWrite(new LogMessage(targets, level, buffer, length, DateTime.UtcNow))) return true;
        Interlocked.Increment(ref _queueDrops);
        Buffers.Return(buffer);
        return false;
    }

    internal void CountDropped() => Interlocked.Increment(ref _queueDrops);

    /// <summary>Queues a text message (health changes, start/stop): not the hot path.</summary>
    internal bool Post(LogTargets targets, int level, string message)
    {
        int n = Math.Min(Encoding.Latin1.GetByteCount(message), targets.MaxLength);
        var buffer = Buffers.Rent(Math.Max(n, 1));
        Encoding.Latin1.GetBytes(message.AsSpan(0, Math.Min(message.Length, n)), buffer);
        return Post(targets, level, buffer, n);
    }

    private LogSink? Build(LogTarget target)
    {
        var sink = LogSink.Create(target, out var error);
        if (sink is null)
        {
            Report($"{target.Location}: {error}; target ignored");
            return null;
        }
        lock (_all) _all.Add(sink);
        return sink;
    }

    private static string? SendHostname(GlobalSettings g)
    {
        var d = g.OtherDirectives.LastOrDefault(x => x.Keyword == "log-send-hostname");
        if (d is null) return null;
        return d.Words.Length > 1 ? d.Words[1] : Environment.MachineName;
    }

    private void Run()
    {
        var line = new byte[65535 + 128];
        var reader = _queue.Reader;
        while (true)
        {
            try
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
            }
            catch (Exception) { return; }
            while (reader.TryRead(out var m))
            {
                try { Deliver(m, line); }
                catch (Exception) { Interlocked.Increment(ref _sendErrors); } // the sender must outlive any bad line
                finally { Buffers.Return(m.Buffer); }
            }
            // A millisecond's nap after each batch lets the next one gather: waking this thread
            // for every line cost more CPU than sending the line (idle, it blocks in the wait).
            Thread.Sleep(1);
        }
    }

    private void Deliver(in LogMessage m, byte[] scratch)
    {
        foreach (var sink in m.Targets.Sinks)
        {
            if (!sink.Accepts(m.Level, out int level)) continue;
            var w = new AsciiWriter(scratch.AsSpan(0, sink.MaxLength));
            SyslogHeader.Write(ref w, sink.Format, sink.Facility, level, m.Utc, Hostname, m.Targets.Tag, Pid);
            w.Bytes(m.Buffer.AsSpan(0, m.Length));
            int n = w.Position;
            scratch[n++] = (byte)'\n';
            if (sink.Write(scratch.AsSpan(0, n))) Interlocked.Increment(ref _sent);
            else Interlocked.Increment(ref _sendErrors);
        }
    }

    /// <summary>Stops taking lines, lets the sender write what is queued (up to 1 s), closes the targets.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (_sender.IsAlive) _sender.Join(TimeSpan.FromSeconds(1));
        lock (_all)
        {
            foreach (var s in _all) s.Dispose();
            _all.Clear();
        }
    }

    /// <summary>The counters, for the stats page and tests.</summary>
    public LogCounters Counters => new(Sent, QueueDrops, SendErrors);
}

/// <summary>A snapshot of the log counters.</summary>
public sealed record LogCounters(long Sent, long QueueDrops, long SendErrors)
{
    public long Dropped => QueueDrops + SendErrors;
}
