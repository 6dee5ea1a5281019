using Akka.Dispatch;
using Lb.Actors.Streams;
using Xunit;

namespace Lb.Tests.Streams;

public sealed class IoThreadExecutorTests
{
    /// <summary>
    /// Schedules a probe from a new thread named <paramref name="threadName"/> (the runtime names
    /// its socket I/O threads ".NET Sockets"), directly or from inside an inline run, and tells
    /// where the probe ran.
    /// </summary>
    private static (bool OnCaller, bool OnPool) Probe(string threadName, bool nested)
    {
        var exec = new IoThreadExecutor("test");
        var result = new TaskCompletionSource<(bool, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var t = new Thread(() =>
        {
            var caller = Environment.CurrentManagedThreadId;
            IRunnable probe = new ActionRunnable(() =>
                result.TrySetResult((Environment.CurrentManagedThreadId == caller, Thread.CurrentThread.IsThreadPoolThread)));
            exec.Execute(nested ? new ActionRunnable(() => exec.Execute(probe)) : probe);
        }) { Name = threadName };
        t.Start();
        var r = result.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        t.Join();
        return r;
    }

    [Fact]
    public void FromSocketIoThread_RunsInlineOnThatThread() =>
        Assert.Equal((true, false), Probe(".NET Sockets", nested: false));

    [Fact]
    public void FromAnyOtherThread_GoesToThePool() =>
        Assert.Equal((false, true), Probe("some timer", nested: false));

    [Fact]
    public void ScheduledWhileAlreadyRunningInline_GoesToThePool_NoNesting() =>
        Assert.Equal((false, true), Probe(".NET Sockets", nested: true));
}
