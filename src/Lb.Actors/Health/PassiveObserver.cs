using Lb.Config.Model;

namespace Lb.Actors.Health;

/// <summary>
/// 'observe layer4|layer7' with 'error-limit': counts a server's consecutive errors seen in real
/// traffic, lock-free, from the sessions' threads. At the limit the counter starts again and the
/// server's checker is told (one message), which applies 'on-error'. Layer 4: a connection that
/// fails is an error, one that opens resets the count. Layer 7: failed connections, invalid or
/// timed-out responses and 5xx statuses (but 501 and 505) are errors, other statuses reset it.
/// </summary>
public sealed class PassiveObserver
{
    private readonly ObserveMode _mode;
    private readonly int _limit;
    private int _consecutive;
    private Action<int, string>? _onLimit;

    public PassiveObserver(ObserveMode mode, int errorLimit)
    {
        _mode = mode;
        _limit = Math.Max(1, errorLimit);
    }

    public int Consecutive => Volatile.Read(ref _consecutive);

    /// <summary>Who hears about the limit (the checker); null detaches.</summary>
    public void Attach(Action<int, string>? onLimit) => Volatile.Write(ref _onLimit, onLimit);

    public void ConnectOk()
    {
        if (_mode == ObserveMode.Layer4) Reset();
    }

    public void ConnectFailed() => Error("L4 unsuccessful connection");

    public void ResponseFailed()
    {
        if (_mode == ObserveMode.Layer7) Error("Invalid http response");
    }

    public void HttpStatus(int status)
    {
        if (_mode != ObserveMode.Layer7) return;
        if (status is >= 100 and < 500 or 501 or 505) Reset();
        else Error("Wrong http response");
    }

    private void Reset()
    {
        if (Volatile.Read(ref _consecutive) != 0) Volatile.Write(ref _consecutive, 0);
    }

    private void Error(string what)
    {
        int n = Interlocked.Increment(ref _consecutive);
        if (n < _limit) return;
        // Only the thread that reaches the limit reports it.
        if (Interlocked.CompareExchange(ref _consecutive, 0, n) == n) Volatile.Read(ref _onLimit)?.Invoke(n, what);
    }
}
