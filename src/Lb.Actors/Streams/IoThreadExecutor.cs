using Akka.Dispatch;

namespace Lb.Actors.Streams;

/// <summary>
/// Executor for the dispatcher that runs the socket stream stages. A mailbox scheduled from a
/// socket I/O thread (a read or write just completed there) runs at once on that thread,
/// like an event loop, instead of being handed to a thread-pool worker: the hand-off (a queue,
/// a wake-up, a context switch) cost as much as the proxying itself. Everything else — a
/// mailbox scheduled from any other thread, or while this thread already runs one — goes to
/// the .NET thread pool as usual. Safe because no stage blocks: all I/O is asynchronous.
/// Socket completions run on the I/O threads only with inline completions enabled
/// (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, which Lb.Node sets); otherwise this is
/// the plain thread-pool executor.
/// </summary>
public sealed class IoThreadExecutor : ExecutorService
{
    private const string SocketThreadName = ".NET Sockets";

    [ThreadStatic] private static int _threadKind; // 0 unknown, 1 socket I/O thread, 2 other
    [ThreadStatic] private static bool _running;

    public IoThreadExecutor(string id) : base(id) { }

    public override void Execute(IRunnable run)
    {
        if (!_running && IsSocketThread())
        {
            _running = true;
            try { run.Run(); }
            finally { _running = false; }
            return;
        }
        if (run is IThreadPoolWorkItem item) ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
        else ThreadPool.UnsafeQueueUserWorkItem(static r => r.Run(), run, preferLocal: false);
    }

    public override void Shutdown() { }

    private static bool IsSocketThread()
    {
        if (_threadKind == 0) _threadKind = Thread.CurrentThread.Name == SocketThreadName ? 1 : 2;
        return _threadKind == 1;
    }
}

/// <summary>Lets HOCON name <see cref="IoThreadExecutor"/> as a dispatcher's executor.</summary>
public sealed class IoThreadExecutorConfigurator : ExecutorServiceConfigurator
{
    /// <summary>The dispatcher the session streams are materialized on.</summary>
    public const string DispatcherId = "lb.io-dispatcher";

    /// <summary>Its definition, injected as a fallback so that a node's HOCON may override it.</summary>
    public static readonly Akka.Configuration.Config DispatcherConfig = Akka.Configuration.ConfigurationFactory.ParseString($$"""
        lb.io-dispatcher {
            type = Dispatcher
            executor = "{{typeof(IoThreadExecutorConfigurator).AssemblyQualifiedName}}"
            throughput = 30
        }
        """);

    public IoThreadExecutorConfigurator(Akka.Configuration.Config config, IDispatcherPrerequisites prerequisites) : base(config, prerequisites) { }

    public override ExecutorService Produce(string id) => new IoThreadExecutor(id);
}
