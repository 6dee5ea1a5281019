using System.Diagnostics;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Xunit;
using Xunit.Abstractions;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Rules.Patterns;

/// <summary>
/// The same configuration (ACL pattern files, map converters in use_backend, set-header and an
/// ACL fetch), the same runtime commands sent with the real socat, and the same HTTP requests
/// on one keep-alive connection, through haproxy 2.6 and through Lb: every reply and every
/// routing result must be the same. Entry ids (0x...: pointers in haproxy), the config file's
/// path and haproxy's internal httpclient ACLs are masked.
/// </summary>
public sealed class PatternDifferentialTests(ITestOutputHelper output)
{
    private static string Config(string dir, string sock, int fe, TestServer a, TestServer b, TestServer api, TestServer def) => $"""
        global
            stats socket {sock} mode 600 level admin

        defaults
            mode http
            option http-keep-alive
            timeout connect 2s
            timeout client 10s
            timeout server 10s

        frontend fe
            bind 127.0.0.1:{fe}
            acl blocked path_beg -f {dir}/blocked.acl
            acl is_api path_beg /api /v2
            acl mapped req.hdr(host),lower,map({dir}/hosts.map) -m found
            acl ci_file path -i -f {dir}/blocked.acl
            http-request deny if blocked
            http-request set-header X-Beg %[path,map_beg({dir}/paths.map,none)]
            http-request set-header X-Tier %[req.hdr(x-user),map_str_int({dir}/tiers.map,0)]
            http-request set-header X-Reg %[path,map_reg({dir}/reg.map,noreg)]
            http-request set-header X-Ip %[src,map_ip({dir}/nets.map,other)]
            http-request set-header X-Mapped yes if mapped
            use_backend be_api if is_api
            use_backend %[req.hdr(host),lower,map({dir}/hosts.map,be_def)]
            default_backend be_def

        backend be_a
            server a {a.Address}
        backend be_b
            server b {b.Address}
        backend be_api
            server api {api.Address}
        backend be_def
            server def {def.Address}

        """;

    private static void WriteFiles(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "blocked.acl"), "# paths refused\n/blocked\n  /private\n\n");
        File.WriteAllText(Path.Combine(dir, "hosts.map"), "# host to backend\na.example.com be_a\nb.example.com   be_b  \n\n");
        File.WriteAllText(Path.Combine(dir, "paths.map"), "/static static\n/api api_prefix\n");
        File.WriteAllText(Path.Combine(dir, "tiers.map"), "alice 3\n");
        File.WriteAllText(Path.Combine(dir, "reg.map"), "^/api/v[0-9]+ versioned\n\\.png$ image\n");
        File.WriteAllText(Path.Combine(dir, "nets.map"), "10.0.0.0/8 ten\n127.0.0.0/8 loopback_net\n127.0.0.1 lo\n");
    }

    /// <summary>A backend that names itself and echoes the headers the rules set.</summary>
    private static async Task Echo(RawConnection c)
    {
        for (int k = 0; k < 100; k++)
        {
            var req = await c.ReadRequestAsync(TimeSpan.FromSeconds(10));
            if (req is null) return;
            var body = string.Join(";", new[] { "x-beg", "x-tier", "x-reg", "x-ip", "x-mapped" }.Select(h => $"{h}={req.Header(h)}"));
            await c.SendAsync($"HTTP/1.1 200 OK\r\nX-Server: {c.ServerName}\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        }
    }

    private static string[] Steps(string dir) =>
    [
        "cli show acl",
        "cli show map",
        $"cli show acl {dir}/blocked.acl",
        "http a.example.com /",
        "http c.example.com /",
        "http b.example.com /blocked/x",
        "http b.example.com /api/v1/x.png",
        $"cli get map {dir}/hosts.map c.example.com",
        $"cli add map {dir}/hosts.map c.example.com be_b",
        $"cli get map {dir}/hosts.map c.example.com",
        "http c.example.com /",
        $"cli del acl {dir}/blocked.acl /blocked",
        "http b.example.com /blocked/x",
        $"cli add acl {dir}/blocked.acl /v2",
        "http x.example.com /v2/thing",
        $"cli set map {dir}/hosts.map a.example.com be_b",
        "http a.example.com /",
        $"cli show map {dir}/hosts.map",
        $"cli add map {dir}/tiers.map bob notint",
        $"cli add map {dir}/tiers.map bob 5",
        "http a.example.com / bob",
        $"cli clear map {dir}/paths.map",
        "http a.example.com /static/x",
        $"cli add map {dir}/paths.map /static st",
        $"cli add map {dir}/paths.map /static/img img",
        $"cli get map {dir}/paths.map /static/img/a.png",
        "http a.example.com /static/img/a.png",
        $"cli del map {dir}/hosts.map nope",
        $"cli add acl {dir}/hosts.map x",
        $"cli get map {dir}/hosts.map A.EXAMPLE.COM",
        $"cli get acl {dir}/blocked.acl /v2/x",
        $"cli get acl {dir}/blocked.acl /PRIVATE",
        $"cli get map {dir}/nets.map 127.0.0.1",
        $"cli get map {dir}/reg.map /api/v3",
        $"cli add map {dir}/reg.map ( bad",
        $"cli add map {dir}/nets.map nonsense x",
        $"cli prepare map {dir}/hosts.map",
        $"cli add map @1 {dir}/hosts.map a.example.com be_a",
        $"cli add map @1 {dir}/hosts.map e.example.com be_a",
        "http a.example.com /",
        $"cli show map @1 {dir}/hosts.map",
        $"cli commit map @2 {dir}/hosts.map",
        $"cli commit map @1 {dir}/hosts.map",
        "http a.example.com /",
        "http c.example.com /",
        $"cli show map {dir}/hosts.map",
        $"cli add map {dir}/hosts.map <<\\nf.example.com be_a\\ng.example.com   be_b\\nh.example.com\\ni.example.com be_a\\n",
        "http f.example.com /",
        "http g.example.com /",
        $"cli show map {dir}/hosts.map",
        "cli get map #99 x",
        "cli show acl #99",
        "cli add map",
        "cli set map #0 x",
        "cli show acl",
        "cli show map",
    ];

    // PCRE's and .NET's regex error messages differ: only the text around them is compared.
    private static string Normalize(string text) =>
        string.Join("\n", Regex.Replace(Regex.Replace(Regex.Replace(text, "0x[0-9a-f]+", "0xID"), @"file '[^']*\.cfg'", "file 'CFG'"), @"\(error=.*\)\.$", "(error=...).", RegexOptions.Multiline)
            .Split('\n').Where(l => !l.Contains("'httpclient'")));

    private static async Task<string> Socat(string sock, string command)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        // -t 5: socat waits for the reply (both proxies close once it is written) instead of 0.5 s.
        // printf %b: a "\n" in a step is a line break (payloads).
        psi.ArgumentList.Add($"printf '%b\\n' '{command}' | {HaproxyAndSocatFactAttribute.Socat} -t 5 stdio {sock}");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
        return await stdout;
    }

    private static async Task<List<string>> Run(string dir, string sock, int fe)
    {
        var results = new List<string>();
        RawConnection? conn = null;
        int connections = 0;
        try
        {
            foreach (var step in Steps(dir))
            {
                var words = step.Split(' ', 2);
                if (words[0] == "cli")
                {
                    results.Add($"{step}\n{Normalize(await Socat(sock, words[1]))}");
                    continue;
                }
                var parts = words[1].Split(' ');
                if (conn is null) { conn = await RawConnection.ConnectAsync(fe); connections++; }
                var user = parts.Length > 2 ? $"X-User: {parts[2]}\r\n" : "";
                await conn.SendAsync($"GET {parts[1]} HTTP/1.1\r\nHost: {parts[0]}\r\n{user}\r\n");
                var response = await conn.ReadResponseAsync();
                results.Add($"{step}\nconnection {connections}: {response.Status} {response.Header("x-server")} {response.BodyText.Split('\n')[0]}");
                if (response.Header("connection")?.Contains("close", StringComparison.OrdinalIgnoreCase) == true || response.ClosedBy != null)
                {
                    conn.Dispose();
                    conn = null;
                }
            }
        }
        finally
        {
            conn?.Dispose();
        }
        return results;
    }

    [HaproxyAndSocatFact]
    public async Task RuntimeChanges_SameCommandsAndRequests_SameRepliesAndRouting()
    {
        var dir = Directory.CreateTempSubdirectory("lb-patdiff-");
        await using var a = TestServer.Start("a", Echo);
        await using var b = TestServer.Start("b", Echo);
        await using var api = TestServer.Start("api", Echo);
        await using var def = TestServer.Start("def", Echo);
        using var system = ActorSystem.Create("patdiff", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        try
        {
            WriteFiles(dir.FullName);
            var runs = new List<List<string>>();
            foreach (var (name, start) in new (string, Func<string, Task<RunningProxy>>)[]
                     { ("haproxy", RunningProxy.StartHaproxyAsync), ("lb", cfg => RunningProxy.StartLbAsync(system, cfg)) })
            {
                int fe = FreePort();
                var sock = Path.Combine(dir.FullName, name + ".sock");
                await using var proxy = await start(Config(dir.FullName, sock, fe, a, b, api, def));
                Assert.True(await WaitUntilAsync(async () => File.Exists(sock) && (await CliAsync(sock, "show info")).Length > 0, TimeSpan.FromSeconds(10)), name + ": no socket");
                runs.Add(await Run(dir.FullName, sock, fe));
            }
            var differences = new List<string>();
            for (int i = 0; i < runs[0].Count; i++)
            {
                output.WriteLine(runs[1][i]);
                if (runs[0][i] != runs[1][i]) differences.Add($"haproxy:\n{runs[0][i]}\nLb:\n{runs[1][i]}");
            }
            Assert.True(differences.Count == 0, string.Join("\n----\n", differences));
            // The runtime changes reached the routing of the same keep-alive connection.
            Assert.Contains("connection 1: 200 b", runs[1].Single(r => r.StartsWith("http c.example.com /\nconnection") && r.Contains(" b ")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
