namespace Lb.Actors.Frontends;

/// <summary>The global 'maxconn': one counter shared by every frontend of the node.</summary>
public sealed class ConnectionLimiter
{
    private readonly int _max;
    private long _current;

    public ConnectionLimiter(int max) => _max = max;

    public long Current => Volatile.Read(ref _current);
    public bool HasRoom => _max <= 0 || Current < _max;
    public void Opened() => Interlocked.Increment(ref _current);
    public void Closed() => Interlocked.Decrement(ref _current);
}
