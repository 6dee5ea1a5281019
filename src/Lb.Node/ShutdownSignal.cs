using System.Runtime.InteropServices;

namespace Lb.Node;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a completed task instead of killing the process, so
/// the node can leave the cluster and remove its pidfile. Later signals are ignored while the
/// graceful shutdown (bounded by CoordinatedShutdown's phase timeouts) runs.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource<PosixSignal> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Action<PosixSignal>? _onFirst;

    /// <param name="onFirst">told at once, on the signal's own thread, when the first signal arrives</param>
    public ShutdownSignal(Action<PosixSignal>? onFirst = null)
    {
        _onFirst = onFirst;
        _registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }
            .Select(s => PosixSignalRegistration.Create(s, OnSignal))
            .ToArray();
    }

    /// <summary>Completes with the first signal received.</summary>
    public Task<PosixSignal> Received => _received.Task;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_received.TrySetResult(context.Signal)) _onFirst?.Invoke(context.Signal);
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
