using System.Net;
using Lb.Actors.Backends;
using Lb.Actors.Balancing;
using Lb.Config.Model;

namespace Lb.Tests.Balancing;

/// <summary>Builds ServerRuntime lists for the balancer unit tests (no sockets).</summary>
internal static class Servers
{
    public static ServerRuntime[] Make(params int[] weights) =>
        weights.Select((w, i) => One($"s{i + 1}", w, id: i + 1)).ToArray();

    public static ServerRuntime One(string name, int weight = 1, int id = 1, bool backup = false, int maxConn = 0) =>
        new(new Server { Name = name, Weight = weight, Backup = backup, MaxConn = maxConn }, "be", id, new IPEndPoint(IPAddress.Loopback, 1000 + id));

    public static ServerGroups Groups(IEnumerable<ServerRuntime> servers, bool allBackups = false) => ServerGroups.Of(servers, allBackups);

    public static string Sequence(IBalancer b, int count)
    {
        var names = new List<string>();
        for (int i = 0; i < count; i++) names.Add(b.Pick()?.Name ?? "-");
        return string.Join(" ", names);
    }
}
