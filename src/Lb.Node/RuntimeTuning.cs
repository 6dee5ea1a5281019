namespace Lb.Node;

/// <summary>
/// Process-wide .NET settings for a proxy's I/O pattern, applied first thing in Main.
/// </summary>
public static class RuntimeTuning
{
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket completions run on the epoll thread instead of hopping to a thread-pool worker first.
    /// Every completion callback of Lb only hands the result to an actor's mailbox (never blocks), so
    /// the hop is pure cost: on 2 cores it was a third of the proxy's CPU in context switches.
    /// The runtime reads the variable once, when the first socket is used; an operator's own
    /// value (e.g. 0) wins.
    /// </summary>
    public static void Apply(Func<string, string?> env, Action<string, string> setEnv)
    {
        if (string.IsNullOrEmpty(env(InlineCompletions)))
            setEnv(InlineCompletions, "1");
    }
}
