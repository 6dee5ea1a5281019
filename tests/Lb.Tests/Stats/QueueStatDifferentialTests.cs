using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Xunit;
using Xunit.Abstractions;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Stats;

/// <summary>
/// qcur, qmax and scur while requests wait, against haproxy 2.6: the same config and the same
/// waiting requests, one backend whose only server is full (the requests wait in the backend's
/// queue) and one whose requests persist on a full server (they wait in that server's queue).
/// The servers hold every request until the rows have been read.
/// </summary>
public sealed class QueueStatDifferentialTests(ITestOutputHelper output)
{
    private static string Config(string socket, int fe, int fe2, string server) => $"""
        global
            stats socket {socket} level admin

        defaults
            mode http
            timeout connect 5s
            timeout client 20s
            timeout server 20s

        frontend fe
            bind 127.0.0.1:{fe}
            default_backend be

        frontend fe2
            bind 127.0.0.1:{fe2}
            default_backend be2

        backend be
            server s1 {server} maxconn 1

        backend be2
            cookie SRV
            server s1 {server} maxconn 1 cookie a
            server s2 {server} maxconn 1 cookie b

        """;

    private static readonly (string, string)[] Rows = [("be", "s1"), ("be", "BACKEND"), ("be2", "s1"), ("be2", "s2"), ("be2", "BACKEND")];

    [Fact]
    public async Task WaitingRequests_SameQueueAndSessionCountsAsHaproxy()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TestServer.Start("held", async c =>
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await c.SendAsync(Handlers.Response200("held " + req.Target));
        });
        var dir = Directory.CreateTempSubdirectory("lb-queuestat-");
        using var system = ActorSystem.Create("queuestat", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        var seen = new List<Dictionary<(string, string), Dictionary<string, string>>>();
        try
        {
            foreach (var (name, start) in new (string, Func<string, Task<RunningProxy>>)[]
                     { ("haproxy", RunningProxy.StartHaproxyAsync), ("lb", cfg => RunningProxy.StartLbAsync(system, cfg)) })
            {
                int fe = FreePort(), fe2 = FreePort();
                var socket = Path.Combine(dir.FullName, name + ".sock");
                await using var proxy = await start(Config(socket, fe, fe2, server.Address));
                var clients = new List<Task<string>>();
                for (int i = 0; i < 4; i++)
                {
                    clients.Add(ExchangeAsync(fe, Get($"/x{i}"), TimeSpan.FromSeconds(40)));
                    clients.Add(ExchangeAsync(fe2, Get($"/y{i}", "Cookie: SRV=a\r\n"), TimeSpan.FromSeconds(40)));
                }
                // Every request has reached its backend (connected or queued) once each backend counts 4
                // (a frontend counts a connection before its request is read and routed).
                Assert.True(await WaitUntilAsync(async () =>
                {
                    var rows = ParseCsv(await CliAsync(socket, "show stat")).Rows;
                    return rows[("be", "BACKEND")]["scur"] == "4" && rows[("be2", "BACKEND")]["scur"] == "4"
                        && rows[("be", "s1")]["scur"] == "1" && rows[("be2", "s1")]["scur"] == "1";
                }, TimeSpan.FromSeconds(10)), name + ": the requests did not all reach their backends");
                seen.Add(ParseCsv(await CliAsync(socket, "show stat")).Rows);
                // The same server serves both proxies one after the other: let this one's requests go.
                release.TrySetResult();
                foreach (var c in clients) Assert.Contains("200 OK", await c);
                release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        finally
        {
            release.TrySetResult();
            dir.Delete(recursive: true);
        }
        var differences = new List<string>();
        foreach (var row in Rows)
            foreach (var field in new[] { "qcur", "qmax", "scur" })
            {
                output.WriteLine($"{row} {field}: haproxy {seen[0][row][field]}, Lb {seen[1][row][field]}");
                if (seen[0][row][field] != seen[1][row][field])
                    differences.Add($"{row.Item1}/{row.Item2} {field}: haproxy '{seen[0][row][field]}', Lb '{seen[1][row][field]}'");
            }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        // What haproxy shows, stated: three wait in be's queue, three in be2/s1's.
        Assert.Equal("3", seen[1][("be", "BACKEND")]["qcur"]);
        Assert.Equal("4", seen[1][("be", "BACKEND")]["scur"]);
        Assert.Equal("3", seen[1][("be2", "s1")]["qcur"]);
    }
}
