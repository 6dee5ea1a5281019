using Lb.Actors.Http;

namespace Lb.Actors.Rules.Actions;

/// <summary>What a rule list decided: go on, stop this proxy's list ('allow'), answer, tarpit, serve.</summary>
public enum RuleResult { Continue, Stop, Reply, Tarpit, Service }

/// <summary>
/// The answer a rule prepared, for the session to send: the response bytes (already carrying the
/// Connection header the session asked for), whether the connection closes after them, the
/// tarpit delay, or the service that answers. One per session, reused for every request.
/// </summary>
public sealed class RuleOutcome
{
    /// <summary>The Connection header replies must carry (set by the session before the rules run).</summary>
    public ConnectionHeader Connection { get; internal set; }

    public byte[]? Reply { get; internal set; }
    public bool CloseAfterReply { get; internal set; }
    public TimeSpan TarpitDelay { get; internal set; }
    public IHttpService? Service { get; internal set; }

    internal void Reset(ConnectionHeader connection)
    {
        Connection = connection;
        Reply = null;
        CloseAfterReply = connection == ConnectionHeader.Close;
        TarpitDelay = TimeSpan.Zero;
        Service = null;
    }

    internal RuleResult SetReply(byte[] bytes, bool close)
    {
        Reply = bytes;
        CloseAfterReply = close || Connection == ConnectionHeader.Close;
        return RuleResult.Reply;
    }
}
