using System.Net;
using System.Net.Sockets;
using System.Text;
using Lb.Actors.Health;
using Lb.Tests.DataPlane;
using Lb.Tests.Logging;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Health;

/// <summary>
/// Agent checks ('agent-check'): haproxy 2.6 and Lb run side by side against the same server and
/// the same agent (a loopback TCP listener answering a scripted line); after each line both
/// 'show stat' rows must agree on the server's state, weight and every agent column, and the
/// runtime API's agent commands must answer the same bytes.
/// </summary>
[Collection(Lb.Tests.Admin.ServerControlCollection.Name)]
public sealed class AgentCheckTests : IClassFixture<ProxyFixture>, IDisposable
{
    private readonly ProxyFixture _fixture;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lb-agent-");

    public AgentCheckTests(ProxyFixture fixture) => _fixture = fixture;

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>Answers every connection with the current line, then closes; records what it received.</summary>
    private sealed class ScriptedAgent : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private volatile string _reply = "";

        public ScriptedAgent()
        {
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public string Reply { set => _reply = value; }
        public List<string> Received { get; } = [];

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket c;
                try { c = await _listener.AcceptSocketAsync(_stop.Token); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
                _ = Task.Run(async () =>
                {
                    using (c)
                    {
                        try
                        {
                            // Answer at once (an agent without 'agent-send' gets nothing to read), then note what came.
                            await c.SendAsync(Encoding.Latin1.GetBytes(_reply), SocketFlags.None);
                            var buf = new byte[256];
                            using var cts = new CancellationTokenSource(50);
                            try
                            {
                                int n = await c.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                                lock (Received) Received.Add(Encoding.Latin1.GetString(buf, 0, n));
                            }
                            catch (OperationCanceledException) { }
                            c.Shutdown(SocketShutdown.Both);
                        }
                        catch (SocketException) { }
                    }
                });
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _loop;
        }
    }

    private static string Config(string sock, int fe, string server, int agent) => $"""
        global
            stats socket {sock} level admin
        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s
            timeout check 2s
        frontend fe
            bind 127.0.0.1:{fe}
            default_backend bk
        backend bk
            server s1 {server} check inter 300ms agent-check agent-port {agent} agent-inter 200ms agent-send "hello\n" weight 100
            server s2 {server} agent-check agent-port {agent} agent-inter 200ms agent-send "s2\n" weight 10

        """;

    private static readonly string[] Columns =
        ["status", "weight", "chkdown", "check_status", "last_agt", "agent_status", "agent_code", "agent_desc", "agent_rise", "agent_fall", "agent_health", "uweight"];

    private static async Task<string> RowAsync(string sock, string server)
    {
        var row = ParseCsv(await CliAsync(sock, "show stat")).Rows[("bk", server)];
        // haproxy marks a check in progress with "* " before its last status; Lb does not.
        return string.Join(" ", Columns.Select(c => $"{c}={(row[c].StartsWith("* ", StringComparison.Ordinal) ? row[c][2..] : row[c])}"));
    }

    [Fact]
    public async Task AgentReplies_SameLinesAsHaproxy_SameStatesWeightsAndAgentColumns()
    {
        await using var web = TestServer.Start("web", Handlers.HttpOk);
        await using var agent = new ScriptedAgent();
        agent.Reply = "up\n";
        var hSock = Path.Combine(_dir.FullName, "h.sock");
        var lSock = Path.Combine(_dir.FullName, "l.sock");
        await using var haproxy = await RunningProxy.StartHaproxyAsync(Config(hSock, FreePort(), web.Address, agent.Port));
        await using var lb = await RunningProxy.StartLbAsync(_fixture.System, Config(lSock, FreePort(), web.Address, agent.Port));
        foreach (var sock in new[] { hSock, lSock })
            Assert.True(await WaitUntilAsync(async () => (await RowAsync(sock, "s1")).StartsWith("status=UP ", StringComparison.Ordinal), TimeSpan.FromSeconds(5)));

        string[] script =
        [
            "75%", "drain", "ready", "maint", "ready", "down", "up", "fail #oops", "stopped", "up",
            "50% drain #x y", "100% up ready", "garbage", "", "down #bye", "up", "30% maxconn:7", "maxconn:x", "no newline",
        ];
        var differences = new List<string>();
        foreach (var line in script)
        {
            agent.Reply = line == "no newline" ? line : line + "\n";
            await Task.Delay(600); // three agent intervals on both, then until they agree (a loaded machine delays probes)
            foreach (var server in new[] { "s1", "s2" })
            {
                string h = "", l = "";
                for (var deadline = DateTime.UtcNow.AddSeconds(4); DateTime.UtcNow < deadline; await Task.Delay(100))
                {
                    (h, l) = (await RowAsync(hSock, server), await RowAsync(lSock, server));
                    if (h == l) break;
                }
                if (h != l) differences.Add($"after '{line}' {server}:\n  haproxy {h}\n  Lb      {l}");
            }
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        lock (agent.Received) Assert.Contains("hello\n", agent.Received);

        // The runtime API's agent commands: the same bytes, the same effect.
        string[] commands =
        [
            "set server bk/s1 agent down", "set server bk/s1 agent up", "set server bk/s1 agent foo",
            "set server bk/s1 agent-send", "set server bk/s1 agent-addr bad", "set server bk/s1 agent-addr",
            "set server bk/s1 agent-port", "set server bk/s1 agent-port x", "set server bk/s1 agent-port 70000",
            "disable agent bk/s2", "enable agent bk/s2", "set server bk/zz agent up",
        ];
        agent.Reply = "\n";
        foreach (var c in commands)
        {
            string h = await CliAsync(hSock, c), l = await CliAsync(lSock, c);
            Assert.True(h == l, $"'{c}': haproxy '{h}', Lb '{l}'");
        }
    }

    [Theory]
    [InlineData("75%", null, null, "75%", null, "")]
    [InlineData("50% drain #x y", null, "drain", "50%", null, "x y")]
    [InlineData("100% up ready", "up", "ready", "100%", null, "")]
    [InlineData("garbage up", "up", null, null, "garbage", "")]
    [InlineData("DOWN,maxconn:5", "DOWN", null, null, null, "")]
    public void Parse_AgentLine_WordsSorted(string line, string? health, string? admin, string? weight, string? error, string comment)
    {
        var r = AgentReply.Parse(line);
        Assert.Equal((health, admin, weight, error, comment), (r.Health, r.Admin, r.Weight, r.Error, r.Comment));
    }

    [Fact]
    public void Describe_HealthWithErrorAndComment_HaproxysTexts()
    {
        Assert.Equal((AgentStatus.L7Sts, "via agent : fail (oops)"), AgentReply.Parse("fail #oops").Describe(null));
        Assert.Equal((AgentStatus.L7Ok, "via agent : up (junk)"), AgentReply.Parse("up junk #c").Describe(null));
        Assert.Equal((AgentStatus.Checked, "agent reports an error : garbage"), AgentReply.Parse("garbage").Describe(null));
        Assert.Equal((AgentStatus.Checked, "agent warns : bad"), AgentReply.Parse("5%").Describe("bad"));
        Assert.Equal((AgentStatus.Checked, ""), AgentReply.Parse("").Describe(null));
    }
}
