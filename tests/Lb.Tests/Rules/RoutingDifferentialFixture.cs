using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Xunit;

namespace Lb.Tests.Rules;

/// <summary>
/// The seed configs 07, 08, 09 and <see cref="RoutingConfigs.Rules"/> run at once by the real
/// haproxy and by Lb (in process), in front of the same test servers, one per backend: each
/// answers 200 with "X-Server: BACKEND" and, as body, the request head it received, so that a
/// test can compare, byte for byte, what a client gets from both (and thus what the servers
/// received). Lb reads seed 07 as written ('reqirep'); haproxy 2.6, which rejects that keyword,
/// gets Lb's translation of it.
/// </summary>
public sealed class RoutingDifferentialFixture : IAsyncLifetime
{
    private static readonly string[] Frontends = ["main", "web", "club", "rules"];

    private readonly Dictionary<string, TestServer> _servers = new();
    private ActorSystem? _system;

    public RunningProxy Haproxy { get; private set; } = null!;
    public RunningProxy Lb { get; private set; } = null!;
    public Dictionary<string, (int Haproxy, int Lb)> Ports { get; } = new();
    public string LbConfig { get; private set; } = "";

    public async Task InitializeAsync()
    {
        foreach (var b in RoutingConfigs.SeedBackends.Concat(RoutingConfigs.RulesBackends)) _servers[b] = TestServer.Start(b, Serve);
        var held = Frontends.SelectMany(_ => new[] { new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0) }).ToList();
        held.ForEach(l => l.Start());
        for (int i = 0; i < Frontends.Length; i++)
            Ports[Frontends[i]] = (((IPEndPoint)held[2 * i].LocalEndpoint).Port, ((IPEndPoint)held[2 * i + 1].LocalEndpoint).Port);
        held.ForEach(l => l.Stop());
        var haproxyCfg = Config(lb: false);
        Haproxy = await RunningProxy.StartHaproxyAsync(haproxyCfg);
        _system = ActorSystem.Create("routing", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off"));
        LbConfig = Config(lb: true);
        Lb = await RunningProxy.StartLbAsync(_system, LbConfig);
    }

    public async Task DisposeAsync()
    {
        if (Lb != null) await Lb.DisposeAsync();
        if (Haproxy != null) await Haproxy.DisposeAsync();
        if (_system != null) await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var s in _servers.Values) await s.DisposeAsync();
    }

    private string Config(bool lb)
    {
        var sb = new StringBuilder("global\n    nbthread 1\n\n");
        foreach (var file in RoutingConfigs.SeedFiles)
        {
            var seed = RoutingConfigs.Seed(file);
            if (!lb) seed = seed.Replace(RoutingConfigs.Seed07Reqirep, RoutingConfigs.Seed07Translated);
            sb.Append(seed).Append("\n\n");
        }
        sb.Append(RoutingConfigs.Rules).Append('\n');
        var text = Regex.Replace(sb.ToString(), @"\{fe:([^}]+)\}", m => (lb ? Ports[m.Groups[1].Value].Lb : Ports[m.Groups[1].Value].Haproxy).ToString());
        return Regex.Replace(text, @"\{be:([^}]+)\}", m => _servers[m.Groups[1].Value].Address);
    }

    /// <summary>200, "X-Server: NAME", a few headers for the http-response rules, the received head as body.</summary>
    private static async Task Serve(RawConnection c)
    {
        for (int k = 0; k < 1000; k++)
        {
            var req = await c.ReadRequestAsync(TimeSpan.FromSeconds(10));
            if (req is null) return;
            var headers = new List<(string, string)> { ("X-Server", c.ServerName), ("X-Powered", "test"), ("X-List-Res", "a, b, c") };
            if (req.Target.Contains("denyme")) headers.Add(("X-Deny-Me", "1"));
            if (req.Target.Contains("setstatus")) headers.Add(("X-Set-Status", "1"));
            if (req.Target.Contains("to204")) headers.Add(("X-To204", "1"));
            await c.SendAsync(Handlers.Response200(req.HeadText, headers.ToArray()));
            if (req.ConnectionHas("close")) return;
        }
    }

    /// <summary>One request on a new connection to a frontend: the response head and body as
    /// text, followed by "[closed]" or "[open]" when <paramref name="checkClose"/> asks whether the
    /// proxy closed the connection after it.</summary>
    public static async Task<string> ExchangeAsync(int port, string request, bool checkClose = false)
    {
        using var c = await RawConnection.ConnectAsync(port);
        await c.SendAsync(request);
        var method = request.Split(' ')[0];
        var response = await c.ReadResponseAsync(method, TimeSpan.FromSeconds(10));
        var text = response.HeadText + response.BodyText;
        if (!checkClose) return text;
        return text + (await c.StaysOpenAsync(TimeSpan.FromMilliseconds(300)) ? "\n[open]" : "\n[closed]");
    }
}
