using Akka.Dispatch;
using Lb.Actors.Streams;
using Xunit;

namespace Lb.Tests.Streams;

public sealed class IoThreadExecutorTests
{
    private static (bool OnCaller, bool OnPool) RunFrom(string? threadName, Action<IoThreadExecutor, Action<bool, bool>> schedule)
    {
        var exec = new IoThreadExecutor("test");
        var result = new TaskCompletionSource<(bool, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var t = new Thread(() => schedule(exec, (onCaller, onPool) => result.TrySetResult((onCaller, onPool)))) { Name = threadName };
        t.Start();
        var r = result.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        t.Join();
        return r;
    }

    [Fact]
    public void FromSocketIoThread_RunsInlineOnThatThread()
    {
        var (onCaller, onPool) = RunFrom(".NET Sockets", (exec, done) =>
        {
            var caller = Environment.CurrentManagedThreadId;
            exec.Execute(new ActionRunnable(() => done(Environment.CurrentManagedThreadId == caller, Thread.CurrentThread.IsThreadPoolThread)));
        });
        Assert.True(onCaller);
        Assert.False(onPool);
    }

    [Fact]
    public void FromAnyOtherThread_GoesToThePool()
    {
        var (onCaller, onPool) = RunFrom("some timer", (exec, done) =>
        {
            var caller = Environment.CurrentManagedThreadId;
            exec.Execute(new ActionRunnable(() => done(Environment.CurrentManagedThreadId == caller, Thread.CurrentThread.IsThreadPoolThread)));
        });
        Assert.False(onCaller);
        Assert.True(onPool);
    }

    [Fact]
    public void ScheduledWhileAlreadyRunningInline_GoesToThePool_NoNesting()
    {
        var (onCaller, onPool) = RunFrom(".NET Sockets", (exec, done) =>
        {
            var caller = Environment.CurrentManagedThreadId;
            exec.Execute(new ActionRunnable(() =>
                exec.Execute(new ActionRunnable(() => done(Environment.CurrentManagedThreadId == caller, Thread.CurrentThread.IsThreadPoolThread)))));
        });
        Assert.False(onCaller);
        Assert.True(onPool);
    }
}
