namespace Lb.Actors.Streams;

/// <summary>
/// Per-listener / per-backend settings for <see cref="SocketStage"/>. Immutable; share one instance
/// between many connections.
/// </summary>
public sealed record SocketSettings
{
    /// <summary>Default receive buffer: 16 KiB, HAProxy's <c>tune.bufsize</c>.</summary>
    public const int DefaultReceiveBufferSize = 16 * 1024;

    public static SocketSettings Default { get; } = new();

    /// <summary>
    /// Size of the (pooled, reused) receive buffer, i.e. the largest element the stage emits.
    /// One socket read is issued per downstream pull.
    /// </summary>
    public int ReceiveBufferSize { get; init; } = DefaultReceiveBufferSize;

    /// <summary>
    /// false (default): a downstream cancel only stops reading (<c>Shutdown(Receive)</c>); the stage
    /// keeps writing until upstream completes, then sends FIN and closes.
    /// true: a downstream cancel aborts the connection (RST) at once.
    /// A downstream cancel carrying a failure always aborts.
    /// </summary>
    public bool CancelMeansAbort { get; init; }

    internal void Validate()
    {
        if (ReceiveBufferSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(ReceiveBufferSize), ReceiveBufferSize, "must be > 0");
    }
}

/// <summary>
/// Cheap, lock-free activity counters for one connection, written by the stage and read by anyone
/// (e.g. a session actor's timer that implements <c>timeout client</c> / <c>timeout server</c>).
/// Timestamps are <see cref="Environment.TickCount64"/> milliseconds; one writer (the stage), many readers.
/// </summary>
public sealed class SocketActivity
{
    private long _lastReadMs;
    private long _lastWriteMs;
    private long _bytesRead;
    private long _bytesWritten;
    private bool _writeShutdown;

    public SocketActivity()
    {
        var now = Environment.TickCount64;
        _lastReadMs = now;
        _lastWriteMs = now;
    }

    /// <summary>TickCount64 (ms) of the last completed read with data (or of creation).</summary>
    public long LastReadMs => Volatile.Read(ref _lastReadMs);

    /// <summary>TickCount64 (ms) of the last completed write (or of creation).</summary>
    public long LastWriteMs => Volatile.Read(ref _lastWriteMs);

    /// <summary>Latest of <see cref="LastReadMs"/> and <see cref="LastWriteMs"/>.</summary>
    public long LastActivityMs => Math.Max(LastReadMs, LastWriteMs);

    /// <summary>The stage sent its FIN (<c>Shutdown(Send)</c>): the connection is half-closed.</summary>
    public bool WriteShutdown => Volatile.Read(ref _writeShutdown);

    public long BytesRead => Volatile.Read(ref _bytesRead);
    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    /// <summary>Milliseconds since the last read (<paramref name="nowMs"/> defaults to now).</summary>
    public long IdleReadMs(long nowMs = 0) => (nowMs == 0 ? Environment.TickCount64 : nowMs) - LastReadMs;

    /// <summary>Milliseconds since the last write (<paramref name="nowMs"/> defaults to now).</summary>
    public long IdleWriteMs(long nowMs = 0) => (nowMs == 0 ? Environment.TickCount64 : nowMs) - LastWriteMs;

    // Single writer (the stage's interpreter), so plain read + volatile write is enough.
    internal void OnRead(int bytes, long nowMs)
    {
        Volatile.Write(ref _bytesRead, _bytesRead + bytes);
        Volatile.Write(ref _lastReadMs, nowMs);
    }

    /// <summary>The FIN counts as write activity: half-closed timeouts start from it.</summary>
    internal void OnWriteShutdown(long nowMs)
    {
        Volatile.Write(ref _lastWriteMs, nowMs);
        Volatile.Write(ref _writeShutdown, true);
    }

    internal void OnWrite(int bytes, long nowMs)
    {
        Volatile.Write(ref _bytesWritten, _bytesWritten + bytes);
        Volatile.Write(ref _lastWriteMs, nowMs);
    }
}
