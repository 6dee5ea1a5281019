using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Xunit;
using Xunit.Abstractions;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Admin;

/// <summary>
/// 'set table' and the 'show table' lines it leads to, against haproxy 2.6: the same commands
/// on the same tables give the same replies and the same entries (entry addresses and expiry
/// times aside). Covers a table used by a stick rule (server_id, server_key) and one that only
/// stores counters and rates (haproxy's print order, 32-bit wrap, unsigned byte counters).
/// </summary>
public sealed class SetTableDifferentialTests(ITestOutputHelper output)
{
    private static string Config(string socket) => $"""
        global
            stats socket {socket} level admin

        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s

        frontend fe
            bind 127.0.0.1:{FreePort()}
            default_backend sticky

        backend sticky
            stick-table type ip size 100 expire 10m store conn_cnt,gpc0,http_req_rate(10s)
            stick on src
            server s1 127.0.0.1:{FreePort()}

        backend counters
            stick-table type ip size 100 expire 10m store gpc0,conn_cnt,gpc1,conn_cur,conn_rate(10s),bytes_in_cnt

        backend names
            stick-table type string len 16 size 100 expire 10m
            stick on req.cook(x)
            server s1 127.0.0.1:{FreePort()}

        """;

    private static readonly string[] Commands =
    [
        "set table",
        "set table nope",
        "set table sticky key",
        "set table sticky key 1.2.3.5 data.gpc0 -2",
        "set table sticky key 1.2.3.4",
        "set table sticky key 1.2.3.4 data.gpc0 5",
        "set table sticky key 1.2.3.4 data.gpc0",
        "set table sticky key 1.2.3.4 data.gpc0 x",
        "set table sticky key 1.2.3.4 data.foo 3",
        "set table sticky key 1.2.3.4 data.gpc1 3",
        "set table sticky key 1.2.3.4 foo 1",
        "set table sticky key 1.2.3.4 data.conn_cnt 7 data.http_req_rate 4",
        "set table sticky key 1.2.3.4 data.server_id 1",
        "set table counters key 10.0.0.2 data.gpc0 1",
        "set table counters key 10.0.0.1 data.bytes_in_cnt -2 data.conn_rate 3",
        "set table counters key 10.0.0.1 data.server_id 3",
        "set table names key abc",
        "show table sticky",
        "show table counters",
        "show table names",
        "show table counters data.gpc0 gt 0",
    ];

    // (The frontend is there so that both proxies are known to be up, listening, before the first command.)
    // Entry addresses and the milliseconds left before expiry differ between any two runs.
    private static string Stable(string reply) =>
        Regex.Replace(Regex.Replace(reply, "^0x[0-9a-f]+:", "0x:", RegexOptions.Multiline), @" exp=\d+", " exp=N");

    [Fact]
    public async Task SetTable_SameCommands_SameRepliesAndEntriesAsHaproxy()
    {
        var dir = Directory.CreateTempSubdirectory("lb-settable-");
        using var system = ActorSystem.Create("settable", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        try
        {
            var replies = new List<List<string>>();
            foreach (var (name, start) in new (string, Func<string, Task<RunningProxy>>)[]
                     { ("haproxy", RunningProxy.StartHaproxyAsync), ("lb", cfg => RunningProxy.StartLbAsync(system, cfg)) })
            {
                var socket = Path.Combine(dir.FullName, name + ".sock");
                await using var proxy = await start(Config(socket));
                var these = new List<string>();
                foreach (var command in Commands) these.Add(Stable(await CliAsync(socket, command)));
                replies.Add(these);
            }
            var differences = new List<string>();
            for (int i = 0; i < Commands.Length; i++)
                if (replies[0][i] != replies[1][i])
                    differences.Add($"'{Commands[i]}':\n  haproxy: {replies[0][i].Replace("\n", "\\n")}\n  Lb:      {replies[1][i].Replace("\n", "\\n")}");
            foreach (var d in differences) output.WriteLine(d);
            Assert.True(differences.Count == 0, string.Join("\n", differences));
            Assert.Contains("gpc0=4294967294", replies[1][Array.IndexOf(Commands, "show table sticky")]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
