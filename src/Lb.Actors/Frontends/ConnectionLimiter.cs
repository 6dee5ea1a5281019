namespace Lb.Actors.Frontends;

/// <summary>The global 'maxconn': one counter shared by every frontend of the node.</summary>
public sealed class ConnectionLimiter
{
    private int _max;
    private long _current;

    public ConnectionLimiter(int max) => _max = max;

    /// <summary>0: no limit. 'set maxconn global' changes it.</summary>
    public int Max
    {
        get => Volatile.Read(ref _max);
        set => Volatile.Write(ref _max, Math.Max(0, value));
    }

    public long Current => Volatile.Read(ref _current);
    public bool HasRoom => Max <= 0 || Current < Max;
    public void Opened() => Interlocked.Increment(ref _current);
    public void Closed() => Interlocked.Decrement(ref _current);
}
