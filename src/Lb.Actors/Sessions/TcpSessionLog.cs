using System.Net;
using System.Net.Sockets;
using Lb.Actors.Frontends;
using Lb.Actors.Logging;
using Lb.Actors.Streams;

namespace Lb.Actors.Sessions;

/// <summary>The traffic-log hooks of <see cref="TcpSessionActor"/> (every one a no-op without a record).</summary>
internal static class TcpSessionLog
{
    public static LogRecord? Open(FrontendRuntime frontend, Socket client, Backends.BackendHandle? backend)
    {
        if (frontend.Log is not { } log || client.RemoteEndPoint is not IPEndPoint remote) return null;
        var r = log.Open(remote, client.LocalEndPoint as IPEndPoint);
        r.Backend = backend;
        return r;
    }

    public static void Connected(LogRecord? r, ConnectResult c)
    {
        if (r is null) return;
        r.Server = c.Server;
        r.Retries = c.Retries;
        r.Redispatched = c.Redispatched;
        r.ServerQueuePosition = c.ServerQueuePosition;
        r.BackendQueuePosition = c.BackendQueuePosition;
        if (c.SlotTicks != 0) r.MarkQueue(c.SlotTicks);
        if (c.Ok)
        {
            r.MarkConnect();
            r.ServerLocal = c.Socket!.LocalEndPoint;
        }
        else r.Terminate(c.Error == ConnectError.QueueTimeout || c.TimedOut ? 's' : 'S', c.Error == ConnectError.QueueTimeout ? 'Q' : 'C');
    }

    /// <summary>The session is over (its server connection already closed): bytes, how it ended, the line.</summary>
    public static void End(LogRecord? r, (Task Client, Task Server)? relay, SocketActivity? client, SocketActivity? server)
    {
        if (r is null) return;
        r.BytesIn = client?.BytesRead ?? 0;
        r.BytesOut = server?.BytesRead ?? 0;
        if (relay is { } t)
        {
            // A connection that ended in an error (reset, failure) rather than with both FINs.
            if (t.Client.IsFaulted) r.Terminate('C', 'D');
            else if (t.Server.IsFaulted) r.Terminate('S', 'D');
        }
        r.Log.Emit(r);
    }
}
