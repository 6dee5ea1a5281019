using Akka.Actor;
using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>
/// The runtime API of the node (/user/lb/admin): owns the 'stats socket' listeners, which LbRoot
/// binds before it reports the node started (a socket that cannot be bound fails the start, as
/// in haproxy, and a script may use the socket as soon as the node is up), and closes (and
/// unlinks) them when it stops. Commands run on the connections' own tasks; changes of server
/// state go to the backend actors that own it.
/// </summary>
public sealed class AdminActor : ReceiveActor
{
    public const string Name = "admin";

    private readonly IReadOnlyList<AdminListener> _listeners;

    public AdminActor(IReadOnlyList<AdminListener> listeners) => _listeners = listeners;

    public static Props Props(IReadOnlyList<AdminListener> listeners) => Akka.Actor.Props.Create(() => new AdminActor(listeners));

    /// <summary>Binds every 'stats socket'; on a failure the ones already bound are closed and the error is thrown.</summary>
    public static IReadOnlyList<AdminListener> Bind(NodeStats node)
    {
        var global = node.Config!.Global;
        int maxConn = global.StatsMaxConn ?? 10;
        var listeners = new List<AdminListener>();
        IReadOnlyList<SocketInfo> Sockets() => listeners.Select(l => l.Info).ToList();
        try
        {
            foreach (var socket in global.StatsSockets)
                listeners.Add(AdminListener.Bind(socket, node, global.StatsTimeout, maxConn, Sockets));
        }
        catch
        {
            foreach (var l in listeners) l.Dispose();
            throw;
        }
        WarmUp(node);
        return listeners;
    }

    /// <summary>
    /// Runs the read-only commands once in the background: a script's first 'echo help | socat'
    /// must not pay for compiling the command path, since socat gives the answer only half a
    /// second after its input ends.
    /// </summary>
    private static void WarmUp(NodeStats node) => Task.Run(async () =>
    {
        var ctx = new CliContext(node, CliLevel.User, TimeSpan.FromSeconds(1), []);
        foreach (var line in new[] { "help", "show info", "show stat", "show servers state", "get weight x/y", "foo" })
        {
            try { await CliCommands.RunAsync(ctx, CliParser.Split(line)[0]).ConfigureAwait(false); }
            catch (Exception) { /* a warm-up failure only costs speed later */ }
        }
    });

    protected override void PostStop()
    {
        foreach (var l in _listeners) l.Dispose();
    }
}
