using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Lb.Tests.DataPlane;
using Xunit;

namespace Lb.Tests.Balancing;

/// <summary>
/// One balancing case: a frontend/backend pair that exists in both proxies. <paramref name="LbBackendLines"/>
/// replaces the backend's lines for Lb only (a 1.x keyword haproxy 2.6 no longer takes, say).
/// </summary>
public sealed record BalanceCase(string Name, string Mode, string BackendLines, string? LbBackendLines = null);

/// <summary>
/// Runs every <see cref="BalanceCase"/> at once through the real haproxy and through Lb (in
/// process), in front of the same loopback backends (each answers with an X-Server header), so
/// that a test can send one request sequence to both and compare the servers picked. One haproxy
/// process and one Lb for the whole class keep the tests fast. Subclasses bring their own cases.
/// </summary>
public class DifferentialFixture : IAsyncLifetime
{
    public static readonly string[] ServerNames = ["s1", "s2", "s3", "s4", "s5"];

    /// <summary>TCP backends that send their name first ('rdp-cookie' cases, where the client speaks RDP).</summary>
    public static readonly string[] BannerNames = ["r1", "r2", "r3", "r4"];

    public static readonly BalanceCase[] Cases =
    [
        new("rr_equal", "http", "balance roundrobin\n{s1}\n{s2}\n{s3}"),
        new("rr_weights", "http", "balance roundrobin\n{s1} weight 3\n{s2} weight 1\n{s3} weight 2"),
        new("rr_weights_many", "http", "balance roundrobin\n{s1} weight 5\n{s2} weight 3\n{s3} weight 7\n{s4} weight 1\n{s5} weight 2"),
        new("rr_runtime", "http", "balance roundrobin\n{s1} weight 2\n{s2} weight 3\n{s3} weight 1\n{s4} weight 4"),
        new("static_rr", "http", "balance static-rr\n{s1} weight 4\n{s2} weight 2\n{s3} weight 6"),
        new("leastconn", "http", "balance leastconn\n{s1}\n{s2}\n{s3} weight 2"),
        new("first", "http", "balance first\n{s1} id 3\n{s2} id 1\n{s3} id 2"),
        new("source", "http", "balance source\n{s1}\n{s2} weight 2\n{s3}"),
        new("source_tcp", "tcp", "balance source\n{s1}\n{s2}\n{s3}\n{s4}"),
        new("source_consistent", "http", "balance source\nhash-type consistent\n{s1}\n{s2}\n{s3}"),
        new("uri", "http", "balance uri\n{s1}\n{s2}\n{s3}\n{s4}"),
        new("uri_depth", "http", "balance uri depth 2\n{s1}\n{s2}\n{s3}"),
        new("uri_len_whole", "http", "balance uri len 6 whole\n{s1}\n{s2}\n{s3}"),
        new("uri_path_only", "http", "balance uri path-only\n{s1}\n{s2}\n{s3}"),
        new("uri_djb2", "http", "balance uri whole\nhash-type map-based djb2\n{s1}\n{s2} weight 3\n{s3}"),
        new("uri_wt6", "http", "balance uri\nhash-type map-based wt6\n{s1}\n{s2}\n{s3}\n{s4}"),
        new("uri_crc32_avalanche", "http", "balance uri\nhash-type map-based crc32 avalanche\n{s1}\n{s2}\n{s3}"),
        new("uri_sdbm_avalanche", "http", "balance uri\nhash-type map-based sdbm avalanche\n{s1}\n{s2}\n{s3}"),
        new("uri_consistent", "http", "balance uri\nhash-type consistent\n{s1}\n{s2} weight 2\n{s3}\n{s4}"),
        new("uri_consistent_djb2_avalanche", "http", "balance uri\nhash-type consistent djb2 avalanche\n{s1}\n{s2}\n{s3}"),
        new("url_param", "http", "balance url_param userid\n{s1}\n{s2}\n{s3}"),
        new("url_param_post", "http", "balance url_param userid check_post\n{s1}\n{s2}\n{s3}"),
        new("url_param_consistent", "http", "balance url_param userid\nhash-type consistent\n{s1}\n{s2}\n{s3}"),
        new("hdr", "http", "balance hdr(X-User)\n{s1}\n{s2}\n{s3}"),
        new("hdr_domain", "http", "balance hdr(Host) use_domain_only\n{s1}\n{s2}\n{s3}"),
        new("backup_first", "http", "balance roundrobin\n{s1} disabled\n{s2} disabled\n{s3} backup\n{s4} backup"),
        new("backup_all", "http", "balance roundrobin\noption allbackups\n{s1} disabled\n{s3} backup weight 2\n{s4} backup\n{s5} backup"),
        new("backup_static_rr", "http", "balance static-rr\n{s1} disabled\n{s3} backup weight 2\n{s4} backup weight 3"),
        new("weight_zero", "http", "balance roundrobin\n{s1}\n{s2} weight 0\n{s3}"),
        new("source_weight_zero", "http", "balance source\n{s1}\n{s2} weight 0\n{s3} weight 3"),
        new("cookie_insert", "http", "balance roundrobin\ncookie SERVERID insert indirect nocache\n{s1} cookie c1\n{s2} cookie c2\n{s3} cookie c3 weight 0"),
        new("cookie_insert_options", "http", "balance roundrobin\ncookie SRV insert httponly secure domain .test.local postonly\n{s1} cookie a\n{s2} cookie b"),
        new("cookie_prefix", "http", "balance roundrobin\ncookie JSESSIONID prefix nocache\n{s1} cookie p1\n{s2} cookie p2"),
        new("cookie_rewrite", "http", "balance roundrobin\ncookie JSESSIONID rewrite\n{s1} cookie r1\n{s2} cookie r2"),
        new("cookie_passive", "http", "balance roundrobin\ncookie JSESSIONID\n{s1} cookie abc1\n{s2} cookie abc2"),
        new("rdp_cookie", "tcp", "balance rdp-cookie\ntcp-request inspect-delay 2s\ntcp-request content accept if RDP_COOKIE\n{r1}\n{r2}\n{r3}\n{r4}"),
        new("rdp_cookie_named", "tcp", "balance rdp-cookie(user)\nhash-type consistent\ntcp-request inspect-delay 2s\ntcp-request content accept if RDP_COOKIE\n{r1}\n{r2}\n{r3}"),
    ];

    private readonly IReadOnlyList<BalanceCase> _cases;
    private readonly Dictionary<string, TestServer> _backends = new();
    private ActorSystem? _system;

    public DifferentialFixture() : this(Cases) { }

    protected DifferentialFixture(IReadOnlyList<BalanceCase> cases) => _cases = cases;

    public RunningProxy Haproxy { get; private set; } = null!;
    public RunningProxy Lb { get; private set; } = null!;
    public Dictionary<string, (int Haproxy, int Lb)> Ports { get; } = new();
    public string AdminSocket { get; } = Path.Combine(Path.GetTempPath(), $"lb-balance-{Guid.NewGuid():N}.sock");

    public async Task InitializeAsync()
    {
        foreach (var n in ServerNames) _backends[n] = TestServer.Start(n, Serve);
        foreach (var n in BannerNames) _backends[n] = TestServer.Start(n, Handlers.Banner(n));
        // Hold every listener until all ports are known, so that no port is handed out twice.
        var held = _cases.SelectMany(_ => new[] { new TcpListener(IPAddress.Loopback, 0), new TcpListener(IPAddress.Loopback, 0) }).ToList();
        held.ForEach(l => l.Start());
        for (int i = 0; i < _cases.Count; i++)
            Ports[_cases[i].Name] = (((IPEndPoint)held[2 * i].LocalEndpoint).Port, ((IPEndPoint)held[2 * i + 1].LocalEndpoint).Port);
        held.ForEach(l => l.Stop());
        Haproxy = await RunningProxy.StartHaproxyAsync(Config(useHaproxyPorts: true));
        _system = ActorSystem.Create("balancing", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off"));
        Lb = await RunningProxy.StartLbAsync(_system, Config(useHaproxyPorts: false));
    }

    public async Task DisposeAsync()
    {
        if (Lb != null) await Lb.DisposeAsync();
        if (Haproxy != null) await Haproxy.DisposeAsync();
        if (_system != null) await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var b in _backends.Values) await b.DisposeAsync();
        try { File.Delete(AdminSocket); } catch (IOException) { }
    }

    private string Config(bool useHaproxyPorts)
    {
        var sb = new StringBuilder();
        sb.Append("global\n    nbthread 1\n");
        if (useHaproxyPorts) sb.Append($"    stats socket {AdminSocket} level admin\n");
        sb.Append("\ndefaults\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n\n");
        foreach (var c in _cases)
        {
            var (h, l) = Ports[c.Name];
            sb.Append($"frontend fe_{c.Name}\n    mode {c.Mode}\n    bind 127.0.0.1:{(useHaproxyPorts ? h : l)}\n    default_backend be_{c.Name}\n\n");
            var lines = useHaproxyPorts ? c.BackendLines : c.LbBackendLines ?? c.BackendLines;
            foreach (var n in _backends.Keys) lines = lines.Replace("{" + n + "}", $"server {n} {_backends[n].Address}");
            sb.Append($"backend be_{c.Name}\n    mode {c.Mode}\n");
            foreach (var line in lines.Split('\n')) sb.Append("    ").Append(line).Append('\n');
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>HTTP/1.1 backend: answers every request 200 with "X-Server: NAME".</summary>
    private static async Task Serve(RawConnection c)
    {
        for (int k = 0; k < 10_000; k++)
        {
            var req = await c.ReadRequestAsync(TimeSpan.FromSeconds(10));
            if (req is null) return;
            var headers = new List<(string, string)> { ("X-Server", c.ServerName) };
            if (req.Header("cookie") is { } cookie) headers.Add(("X-Seen-Cookie", cookie));
            if (req.Target.Contains("setcookie")) headers.Add(("Set-Cookie", $"JSESSIONID=abc{c.ServerName[1..]}; Path=/app"));
            if (req.Target.Contains("cacheable")) headers.Add(("Cache-Control", "max-age=60"));
            await c.SendAsync(Handlers.Response200("ok", headers.ToArray()));
            if (req.ConnectionHas("close")) return;
        }
    }

    /// <summary>Sends one request on a new connection from <paramref name="source"/> and returns the X-Server value.</summary>
    public static async Task<string> RequestAsync(int port, string source, string request)
    {
        var response = await ResponseAsync(port, source, request);
        foreach (var line in response.Split("\r\n"))
            if (line.StartsWith("x-server:", StringComparison.OrdinalIgnoreCase)) return line[9..].Trim();
        return response.StartsWith("HTTP/", StringComparison.Ordinal) ? response.Split("\r\n")[0] : "<no response>";
    }

    /// <summary>Sends one request on a new connection and returns the whole response text.</summary>
    public static async Task<string> ResponseAsync(int port, string source, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, cts.Token);
        var buf = new byte[4096];
        var text = new StringBuilder();
        while (true)
        {
            int n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            if (n == 0) break;
            text.Append(Encoding.Latin1.GetString(buf, 0, n));
            var t = text.ToString();
            int head = t.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (head >= 0 && t.Length >= head + 4 + 2) break; // "ok" body read
        }
        return text.ToString();
    }

    /// <summary>Sends every request on one kept-alive connection; returns each response's X-Server.</summary>
    public static async Task<List<string>> KeepAliveAsync(int port, string source, IEnumerable<string> requests)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        var servers = new List<string>();
        var buf = new byte[4096];
        foreach (var request in requests)
        {
            await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, cts.Token);
            var text = "";
            // The backends answer "ok" with Content-Length: 2.
            while (!(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is int head && head >= 0 && text.Length >= head + 6))
            {
                int n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
                if (n == 0) break;
                text += Encoding.Latin1.GetString(buf, 0, n);
            }
            var line = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("x-server:", StringComparison.OrdinalIgnoreCase));
            servers.Add(line?[9..].Trim() ?? "<" + text.Split("\r\n")[0] + ">");
        }
        return servers;
    }

    /// <summary>Sends an RDP connection request carrying "Cookie: NAME=VALUE" (or no cookie) and
    /// returns the first line the chosen banner server sends.</summary>
    public static async Task<string> RdpAsync(int port, string source, string? cookie)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        var body = Encoding.ASCII.GetBytes((cookie is null ? "" : $"Cookie: {cookie}\r\n") + "\u0001\u0000\u0008\u0000\u0003\u0000\u0000\u0000");
        var packet = new byte[11 + body.Length];
        packet[0] = 3;
        packet[2] = (byte)(packet.Length >> 8);
        packet[3] = (byte)packet.Length;
        packet[4] = (byte)(packet.Length - 5);
        packet[5] = 0xe0;
        body.CopyTo(packet, 11);
        await socket.SendAsync(packet, SocketFlags.None, cts.Token);
        var buf = new byte[256];
        var text = new StringBuilder();
        while (!text.ToString().Contains('\n'))
        {
            int n = await socket.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            if (n == 0) break;
            text.Append(Encoding.Latin1.GetString(buf, 0, n));
        }
        var line = text.ToString();
        return line.Contains('\n') ? line[..line.IndexOf('\n')] : "<no banner>";
    }

    /// <summary>A command on haproxy's admin socket (set weight, disable/enable server).</summary>
    public async Task<string> HaproxyCommandAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(AdminSocket));
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None);
        var buf = new byte[4096];
        var sb = new StringBuilder();
        int n;
        while ((n = await socket.ReceiveAsync(buf, SocketFlags.None)) > 0) sb.Append(Encoding.ASCII.GetString(buf, 0, n));
        return sb.ToString();
    }
}
