using Akka.Actor;
using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>
/// The runtime API of the node (/user/lb/admin): binds every 'stats socket' of the global
/// section when it starts — a socket that cannot be bound fails the start, as in haproxy — and
/// closes (and unlinks) them when it stops. Commands run on the connections' own tasks; changes
/// of server state go to the backend actors that own it.
/// </summary>
public sealed class AdminActor : ReceiveActor
{
    public const string Name = "admin";

    private readonly NodeStats _node;
    private readonly List<AdminListener> _listeners = new();

    public AdminActor(NodeStats node) => _node = node;

    public static Props Props(NodeStats node) => Akka.Actor.Props.Create(() => new AdminActor(node));

    protected override void PreStart()
    {
        var global = _node.Config!.Global;
        int maxConn = global.StatsMaxConn ?? 10;
        foreach (var socket in global.StatsSockets)
            _listeners.Add(AdminListener.Bind(socket, _node, global.StatsTimeout, maxConn, Sockets));
    }

    private IReadOnlyList<SocketInfo> Sockets() => _listeners.Select(l => l.Info).ToList();

    protected override void PostStop()
    {
        foreach (var l in _listeners) l.Dispose();
    }
}
