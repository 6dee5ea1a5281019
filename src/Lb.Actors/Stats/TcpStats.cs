using System.Diagnostics;
using Lb.Actors.Backends;

namespace Lb.Actors.Stats;

/// <summary>The statistics of a 'mode tcp' session, kept out of the session actor.</summary>
public static class TcpStats
{
    /// <summary>The session was given to this server (stot/lbtot/lastsess of server and backend).</summary>
    public static void Assigned(ServerRuntime server)
    {
        server.Stats.Assigned(balanced: true, countSession: false);
        server.BackendStats?.Assigned(balanced: true);
    }

    /// <summary>The session ended: its connect and total times (a TCP session has no response time).</summary>
    public static void Finished(ServerRuntime server, long startTicks, long connectedTicks)
    {
        long now = Stopwatch.GetTimestamp();
        long connect = connectedTicks > startTicks ? (connectedTicks - startTicks) * 1000 / Stopwatch.Frequency : 0;
        long total = (now - startTicks) * 1000 / Stopwatch.Frequency;
        server.Stats.Times(0, connect, 0, total);
        server.BackendStats?.Times(0, connect, 0, total);
    }
}
