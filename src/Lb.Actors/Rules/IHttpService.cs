using Lb.Actors.Http;

namespace Lb.Actors.Rules;

/// <summary>
/// Something that answers HTTP requests inside Lb instead of a server: what 'http-request
/// use-service NAME' names (prometheus-exporter...), and the stats page. Services are created
/// once per proxy at load (<see cref="HttpServices"/>) and called on the session's thread for
/// each request they take: they must not block.
/// </summary>
public interface IHttpService
{
    /// <summary>
    /// The whole response (head and body) to <c>ctx.Request</c>. It must end its head with the
    /// Connection header given (see <see cref="Actions.ResponseWriter"/>'s rules: none,
    /// "connection: close" or "connection: keep-alive"); <paramref name="close"/> asks the session
    /// to close the connection after it even when <paramref name="connection"/> allowed keep-alive.
    /// </summary>
    byte[] Respond(in RuleContext ctx, ConnectionHeader connection, out bool close);

    /// <summary>The server name its requests are logged with, as haproxy's applets ("&lt;STATS&gt;", "&lt;PROMEX&gt;"); null: not logged.</summary>
    string? LogName => null;
}
