using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Health;

/// <summary>
/// The 'show stat' check columns against haproxy 2.6: check_status, check_code and last_chk
/// (the last check's text: an HTTP reason phrase, an errno text, nothing for a passed layer-4
/// check) for an HTTP check answered 403, a refused connection and a passed TCP check.
/// </summary>
public sealed class LastCheckTextTests
{
    private static string Config(string socket, int fe, string forbidden, int refused) => $"""
        global
            stats socket {socket} level admin

        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s

        frontend fe
            bind 127.0.0.1:{fe}
            default_backend web

        backend web
            option httpchk GET /
            server forbidden {forbidden} check inter 300
            server refused 127.0.0.1:{refused} check inter 300

        backend tcp
            mode tcp
            server open {forbidden} check inter 300

        """;

    private static readonly (string, string)[] Servers = [("web", "forbidden"), ("web", "refused"), ("tcp", "open")];

    [Fact]
    public async Task CheckColumns_SameAsHaproxy_LastChkIncluded()
    {
        await using var forbidden = TestServer.Start("forbidden", async c =>
        {
            for (int k = 0; k < 100; k++)
            {
                if (await c.ReadRequestAsync(Handlers.ServerReadTimeout) is null) return;
                await c.SendAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            }
        });
        var dir = Directory.CreateTempSubdirectory("lb-lastchk-");
        using var system = ActorSystem.Create("lastchk", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        var seen = new List<Dictionary<(string, string), Dictionary<string, string>>>();
        try
        {
            foreach (var (name, start) in new (string, Func<string, Task<RunningProxy>>)[]
                     { ("haproxy", RunningProxy.StartHaproxyAsync), ("lb", cfg => RunningProxy.StartLbAsync(system, cfg)) })
            {
                var socket = Path.Combine(dir.FullName, name + ".sock");
                await using var proxy = await start(Config(socket, FreePort(), forbidden.Address, refused: 1)); // port 1: nothing listens there for sure
                Dictionary<(string, string), Dictionary<string, string>> rows = [];
                Assert.True(await WaitUntilAsync(async () =>
                {
                    rows = ParseCsv(await CliAsync(socket, "show stat")).Rows;
                    return Servers.All(s => rows[s]["check_status"] is "L7STS" or "L4CON" or "L4OK");
                }, TimeSpan.FromSeconds(10)), name + ": the first checks did not finish");
                seen.Add(rows);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        foreach (var server in Servers)
            foreach (var field in new[] { "check_status", "check_code", "last_chk", "check_desc" })
                Assert.True(seen[0][server][field] == seen[1][server][field],
                    $"{server} {field}: haproxy '{seen[0][server][field]}', Lb '{seen[1][server][field]}'");
        Assert.Equal("Forbidden", seen[1][("web", "forbidden")]["last_chk"]);
        Assert.Equal("Connection refused", seen[1][("web", "refused")]["last_chk"]);
    }
}
