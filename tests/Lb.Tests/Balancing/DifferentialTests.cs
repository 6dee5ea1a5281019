using Akka.Actor;
using Lb.Actors.Backends;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Balancing;

/// <summary>Run alone: haproxy plus Lb plus hundreds of requests would slow down the timing-sensitive
/// tests of other classes (and leastconn's sequence depends on connections closing in time).</summary>
[CollectionDefinition(DifferentialTests.Name, DisableParallelization = true)]
public sealed class DifferentialCollection;

/// <summary>
/// The same request sequences through haproxy 2.6 and through Lb must reach the same servers, in
/// the same order: every algorithm, hash function and option of <see cref="DifferentialFixture"/>.
/// Requests vary path, query, headers, body and client address (127.0.0.x).
/// </summary>
[Collection(Name)]
public sealed class DifferentialTests : IClassFixture<DifferentialFixture>
{
    public const string Name = "balancing-differential";

    private readonly DifferentialFixture _fx;
    private readonly ITestOutputHelper _out;

    public DifferentialTests(DifferentialFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    private static string Get(string target, string headers = "") => $"GET {target} HTTP/1.1\r\nHost: test.local\r\n{headers}Connection: close\r\n\r\n";

    private static string Source(int i) => $"127.0.0.{1 + i * 7 % 23}";

    /// <summary>Paths with varied depth, length and query strings, some absolute-form.</summary>
    private static string Target(int i) => (i % 6) switch
    {
        0 => $"/item/{i}",
        1 => $"/a/b{i % 4}/c/d?x={i}",
        2 => $"/search?q=w{i % 5}&userid=u{i % 7}&page={i}",
        3 => $"http://test.local/abs/{i % 3}/p?userid=z{i}",
        4 => $"/s{i % 9}?userid=&other=1",
        _ => $"/deep/{i % 2}/{i % 3}/{i % 5}/leaf.html?v={i}",
    };

    private static IEnumerable<(string Source, string Request)> Varied(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var headers = (i % 4) switch
            {
                0 => $"X-User: user{i % 5}\r\n",
                1 => $"X-User: , user{i}\r\n",
                2 => $"X-User: team{i % 3}, other\r\n",
                _ => "",
            };
            yield return (Source(i), Get(Target(i), headers));
        }
    }

    private static IEnumerable<(string, string)> HostHeaders(int count)
    {
        string[] hosts = ["www.example.com", "api.example.com", "example.org", "a.b.c.test.net", "localhost", "shop.example.co.uk", "x.example.com:8080", "z.test"];
        for (int i = 0; i < count; i++)
            yield return (Source(i), $"GET /h/{i} HTTP/1.1\r\nHost: {hosts[i % hosts.Length]}\r\nConnection: close\r\n\r\n");
    }

    private static IEnumerable<(string, string)> Posts(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var body = (i % 4) switch
            {
                0 => $"userid=post{i % 6}&x=1",
                1 => $"a=1&userid=p{i % 3}",
                2 => "nothing=here",
                _ => $"userid=%41{i % 5}",
            };
            var target = i % 5 == 0 ? $"/form?userid=q{i}" : "/form";
            yield return (Source(i), $"POST {target} HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
        }
    }

    private async Task<List<string>> RunAsync(int port, IEnumerable<(string Source, string Request)> requests, int gapMs = 0)
    {
        var got = new List<string>();
        foreach (var (source, request) in requests)
        {
            got.Add(await DifferentialFixture.RequestAsync(port, source, request));
            if (gapMs > 0) await Task.Delay(gapMs);
        }
        return got;
    }

    private async Task AssertSameAsync(string name, IEnumerable<(string Source, string Request)> requests, int gapMs = 0)
    {
        var list = requests.ToList();
        var (h, l) = _fx.Ports[name];
        var fromHaproxy = RunAsync(h, list, gapMs);
        var fromLb = RunAsync(l, list, gapMs);
        var expected = await fromHaproxy;
        var actual = await fromLb;
        _out.WriteLine($"haproxy: {string.Join(" ", expected)}");
        _out.WriteLine($"lb:      {string.Join(" ", actual)}");
        Assert.DoesNotContain(expected, s => !s.StartsWith('s'));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("rr_equal")]
    [InlineData("rr_weights")]
    [InlineData("rr_weights_many")]
    [InlineData("static_rr")]
    [InlineData("first")]
    [InlineData("backup_first")]
    [InlineData("backup_all")]
    [InlineData("backup_static_rr")]
    [InlineData("weight_zero")]
    public Task RoundRobinFamily_SameSequenceAsHaproxy(string name) => AssertSameAsync(name, Varied(name == "rr_weights_many" ? 60 : 30));

    [Fact]
    public Task LeastConn_SequentialRequests_SameSequenceAsHaproxy() => AssertSameAsync("leastconn", Varied(20), gapMs: 30);

    [Theory]
    [InlineData("source")]
    [InlineData("source_tcp")]
    [InlineData("source_consistent")]
    [InlineData("source_weight_zero")]
    [InlineData("uri")]
    [InlineData("uri_depth")]
    [InlineData("uri_len_whole")]
    [InlineData("uri_path_only")]
    [InlineData("uri_djb2")]
    [InlineData("uri_wt6")]
    [InlineData("uri_crc32_avalanche")]
    [InlineData("uri_sdbm_avalanche")]
    [InlineData("uri_consistent")]
    [InlineData("uri_consistent_djb2_avalanche")]
    [InlineData("url_param")]
    [InlineData("url_param_consistent")]
    [InlineData("hdr")]
    public Task Hash_SameSequenceAsHaproxy(string name) => AssertSameAsync(name, Varied(36));

    [Theory]
    [InlineData("uri")]
    [InlineData("url_param")]
    [InlineData("hdr")]
    public async Task Hash_KeepAliveConnection_EveryRequestHashed(string name)
    {
        var requests = Enumerable.Range(0, 24).Select(i => $"GET {Target(i).Replace("http://test.local", "")} HTTP/1.1\r\nHost: test.local\r\nX-User: u{i % 7}\r\n\r\n").ToList();
        var (h, l) = _fx.Ports[name];
        var expected = await DifferentialFixture.KeepAliveAsync(h, "127.0.0.9", requests);
        var actual = await DifferentialFixture.KeepAliveAsync(l, "127.0.0.9", requests);
        _out.WriteLine($"haproxy: {string.Join(" ", expected)}");
        _out.WriteLine($"lb:      {string.Join(" ", actual)}");
        Assert.True(expected.Distinct().Count() > 1);
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// One kept-alive client connection: haproxy balances every request (its idle server
    /// connections are shared through per-server pools), and so does Lb now.
    /// </summary>
    [Theory]
    [InlineData("rr_equal")]
    [InlineData("rr_weights")]
    [InlineData("rr_weights_many")]
    [InlineData("static_rr")]
    [InlineData("first")]
    [InlineData("leastconn")]
    [InlineData("backup_all")]
    [InlineData("weight_zero")]
    public async Task RoundRobinFamily_KeepAliveConnection_EveryRequestBalanced(string name)
    {
        var requests = Enumerable.Range(0, 24).Select(i => $"GET {Target(i).Replace("http://test.local", "")} HTTP/1.1\r\nHost: test.local\r\n\r\n").ToList();
        var (h, l) = _fx.Ports[name];
        var expected = await DifferentialFixture.KeepAliveAsync(h, "127.0.0.9", requests);
        var actual = await DifferentialFixture.KeepAliveAsync(l, "127.0.0.9", requests);
        _out.WriteLine($"haproxy: {string.Join(" ", expected)}");
        _out.WriteLine($"lb:      {string.Join(" ", actual)}");
        Assert.DoesNotContain(expected, s => !s.StartsWith('s'));
        if (name != "first") Assert.True(expected.Distinct().Count() > 1, "haproxy moved between servers");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public Task HdrUseDomainOnly_SameSequenceAsHaproxy() => AssertSameAsync("hdr_domain", HostHeaders(24));

    [Fact]
    public Task UrlParamPostBody_SameSequenceAsHaproxy() => AssertSameAsync("url_param_post", Posts(24));

    /// <summary>The server, the Set-Cookie and Cache-Control values sent back and the Cookie the server saw.</summary>
    private static string Persistence(string response)
    {
        var lines = response.Split("\r\n");
        string Values(string name) => string.Join(" | ", lines.Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(l => l[(name.Length + 1)..].Trim()));
        return $"{Values("x-server")} set-cookie=[{Values("set-cookie")}] cache-control=[{Values("cache-control")}] seen=[{Values("x-seen-cookie")}]";
    }

    [Theory]
    [InlineData("cookie_insert", "SERVERID", "c")]
    [InlineData("cookie_insert_options", "SRV", "")]
    [InlineData("cookie_prefix", "JSESSIONID", "p")]
    [InlineData("cookie_rewrite", "JSESSIONID", "r")]
    [InlineData("cookie_passive", "JSESSIONID", "abc")]
    public async Task Cookie_SameServersAndHeadersAsHaproxy(string name, string cookie, string prefix)
    {
        var requests = new List<string>();
        string[] paths = ["/", "/cacheable", "/setcookie", "/setcookie/cacheable"];
        string?[] cookies =
        [
            null, $"{cookie}={prefix}1", $"{cookie}={prefix}2", $"a=1; {cookie}={prefix}2; b=2", $"{cookie}=bogus", $"{cookie}={prefix}3",
            $"{cookie}={prefix}1~abc9", $"{cookie}={prefix}2~", "x=y", $"{cookie}=b", $"{cookie}=a", $"{cookie}=abc2",
        ];
        for (int i = 0; i < 24; i++)
        {
            var c = cookies[i % cookies.Length];
            var method = i % 5 == 4 ? "POST" : "GET";
            requests.Add($"{method} {paths[i % paths.Length]} HTTP/1.1\r\nHost: test.local\r\n{(c is null ? "" : $"Cookie: {c}\r\n")}Content-Length: 0\r\nConnection: close\r\n\r\n");
        }
        var (h, l) = _fx.Ports[name];
        var expected = new List<string>();
        var actual = new List<string>();
        foreach (var r in requests)
        {
            expected.Add(Persistence(await DifferentialFixture.ResponseAsync(h, "127.0.0.1", r)));
            actual.Add(Persistence(await DifferentialFixture.ResponseAsync(l, "127.0.0.1", r)));
        }
        for (int i = 0; i < expected.Count; i++) _out.WriteLine($"{i}: haproxy {expected[i]}\n   lb      {actual[i]}");
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("rdp_cookie", "mstshash")]
    [InlineData("rdp_cookie_named", "user")]
    public async Task RdpCookie_TcpMode_SameSequenceAsHaproxy(string name, string cookie)
    {
        var (h, l) = _fx.Ports[name];
        var expected = new List<string>();
        var actual = new List<string>();
        for (int i = 0; i < 16; i++)
        {
            // every fourth connection carries no (or another) cookie: round robin then
            string? value = (i % 4) switch { 3 => null, 2 => $"other=x{i}", _ => $"{cookie}=user{i % 5}" };
            expected.Add(await DifferentialFixture.RdpAsync(h, Source(i), value));
            actual.Add(await DifferentialFixture.RdpAsync(l, Source(i), value));
        }
        _out.WriteLine($"haproxy: {string.Join(" ", expected)}");
        _out.WriteLine($"lb:      {string.Join(" ", actual)}");
        Assert.DoesNotContain(expected, s => !s.StartsWith('r'));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task RoundRobin_RuntimeWeightAndStateChanges_SameSequenceAsHaproxy()
    {
        var (h, l) = _fx.Ports["rr_runtime"];
        var backend = new ActorSelection(_fx.Lb.Root!, "backend-be_rr_runtime");
        var steps = new (string Haproxy, object Lb)[]
        {
            ("set weight be_rr_runtime/s1 5", new BackendActor.SetServerWeight("s1", 5)),
            ("set weight be_rr_runtime/s2 0", new BackendActor.SetServerWeight("s2", 0)),
            ("disable server be_rr_runtime/s4", new BackendActor.SetServerUsable("s4", false)),
            ("set weight be_rr_runtime/s2 2", new BackendActor.SetServerWeight("s2", 2)),
            ("enable server be_rr_runtime/s4", new BackendActor.SetServerUsable("s4", true)),
            ("set weight be_rr_runtime/s3 7", new BackendActor.SetServerWeight("s3", 7)),
        };
        var expected = new List<string>();
        var actual = new List<string>();
        var requests = Varied(13).ToList();
        expected.AddRange(await RunAsync(h, requests));
        actual.AddRange(await RunAsync(l, requests));
        foreach (var (command, message) in steps)
        {
            await _fx.HaproxyCommandAsync(command);
            backend.Tell(message);
            await Task.Delay(100);
            expected.AddRange(await RunAsync(h, requests));
            actual.AddRange(await RunAsync(l, requests));
        }
        _out.WriteLine($"haproxy: {string.Join(" ", expected)}");
        _out.WriteLine($"lb:      {string.Join(" ", actual)}");
        Assert.Equal(expected, actual);
    }
}
