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

    public ShutdownSignal()
    {
        _registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }
            .Select(s => PosixSignalRegistration.Create(s, OnSignal))
            .ToArray();
    }

    /// <summary>Completes with the first signal received.</summary>
    public Task<PosixSignal> Received => _received.Task;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _received.TrySetResult(context.Signal);
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
