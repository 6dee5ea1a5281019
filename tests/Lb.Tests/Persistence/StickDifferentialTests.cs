using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Tests.Balancing;
using Xunit;
using Xunit.Abstractions;

namespace Lb.Tests.Persistence;

/// <summary>
/// Stick tables against haproxy 2.6: the same configuration and the same requests (client
/// addresses 127.0.0.x, cookies set by the servers, headers, parameters) through both proxies
/// must reach the same servers, also around a server taken out and back, expiry and a full table.
/// </summary>
[Collection(DifferentialTests.Name)]
public sealed class StickDifferentialTests : IClassFixture<StickFixture>
{
    private readonly StickFixture _fx;
    private readonly ITestOutputHelper _out;

    public StickDifferentialTests(StickFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    private static string Get(string target, string headers = "") => $"GET {target} HTTP/1.1\r\nHost: test.local\r\n{headers}Connection: close\r\n\r\n";

    private static string Cookie(string cookies) => $"Cookie: {cookies}\r\n";

    /// <summary>Client addresses that come back: 127.0.0.1, .8, .4, .11, ...</summary>
    private static string Source(int i) => $"127.0.0.{1 + i * 7 % 11}";

    private static IEnumerable<(string Source, string Request)> FromSources(int count, int offset = 0) =>
        Enumerable.Range(offset, count).Select(i => (Source(i), Get($"/r{i}")));

    private static (string, string) From(int address, string request) => ($"127.0.0.{address}", request);

    private static async Task<List<string>> RunAsync(int port, IEnumerable<(string Source, string Request)> requests, int gapMs)
    {
        var got = new List<string>();
        foreach (var (source, request) in requests)
        {
            got.Add(await DifferentialFixture.RequestAsync(port, source, request));
            if (gapMs > 0) await Task.Delay(gapMs);
        }
        return got;
    }

    /// <summary>
    /// Runs the phases through haproxy and Lb side by side, each proxy on its own timeline; before
    /// each phase after the first, <paramref name="between"/> runs for that proxy (true: haproxy).
    /// </summary>
    private async Task AssertSameAsync(string name, IReadOnlyList<(string Source, string Request)[]> phases,
        Func<bool, int, Task>? between = null, int gapMs = 0)
    {
        async Task<List<string>> Run(bool haproxy)
        {
            var (h, l) = _fx.Ports[name];
            var got = new List<string>();
            for (int p = 0; p < phases.Count; p++)
            {
                if (p > 0 && between != null) await between(haproxy, p);
                got.AddRange(await RunAsync(haproxy ? h : l, phases[p], gapMs));
                got.Add("|");
            }
            return got;
        }
        var fromHaproxy = Run(haproxy: true);
        var fromLb = Run(haproxy: false);
        var expected = await fromHaproxy;
        var actual = await fromLb;
        _out.WriteLine($"haproxy: {string.Join(" ", expected)}");
        _out.WriteLine($"lb:      {string.Join(" ", actual)}");
        Assert.DoesNotContain(expected, s => !s.StartsWith('s') && s != "|");
        Assert.Equal(expected, actual);
    }

    private Task AssertSameAsync(string name, IEnumerable<(string Source, string Request)> requests, int gapMs = 0) =>
        AssertSameAsync(name, [requests.ToArray()], gapMs: gapMs);

    /// <summary>Takes a server out of balancing (or back): maintenance in haproxy, unusable in Lb.</summary>
    private async Task SetServerAsync(bool haproxy, string name, string server, bool up)
    {
        if (haproxy) await _fx.HaproxyCommandAsync($"{(up ? "enable" : "disable")} server be_{name}/{server}");
        else new ActorSelection(_fx.Lb.Root!, $"backend-be_{name}").Tell(new BackendActor.SetServerUsable(server, up));
        await Task.Delay(100);
    }

    [Theory]
    [InlineData("stick_src")]
    [InlineData("stick_src_tcp")]
    [InlineData("stick_src_tcp_response")]
    [InlineData("stick_ipv6")]
    [InlineData("stick_match_store")]
    public Task StickOnSrc_ReturningClients_SameServersAsHaproxy(string name) => AssertSameAsync(name, FromSources(30));

    [Fact]
    public Task StickOnSrc_StringTableCutsKeys_SameServersAsHaproxy() =>
        // 'len 9': 127.0.0.1 and 127.0.0.10 .. 127.0.0.19 share the key "127.0.0.1".
        AssertSameAsync("stick_src_string", new[] { 1, 2, 10, 3, 11, 2, 19, 4, 1, 12 }.Select(a => From(a, Get("/"))));

    [Fact]
    public Task StickMatch_CookieLearnedFromResponses_SameServersAsHaproxy() => AssertSameAsync("stick_cookie_learn",
    [
        From(1, Get("/setcookie")), From(2, Get("/setcookie")), From(3, Get("/setcookie")),
        From(4, Get("/", Cookie("JSESSIONID=abc2"))), From(4, Get("/", Cookie("JSESSIONID=abc3"))),
        From(5, Get("/")), From(5, Get("/", Cookie("JSESSIONID=abc1"))), From(6, Get("/", Cookie("JSESSIONID=abc9"))),
        From(6, Get("/", Cookie("a=1; JSESSIONID=abc3; b=2"))), From(7, Get("/", Cookie("JSESSIONID=abc1; JSESSIONID=abc2"))),
        From(7, Get("/", Cookie("x=1") + Cookie("JSESSIONID=abc3"))), From(8, Get("/", Cookie("JSESSIONID=abc2"))),
        From(8, Get("/")), From(9, Get("/", Cookie("JSESSIONID=abc1"))),
    ]);

    [Fact]
    public Task StickOn_RequestCookieCutToLen_SameServersAsHaproxy() => AssertSameAsync("stick_cookie_on",
        new[] { "abcdefgh1", "u1", "abcdefgh2", "u2", "u1", "abcdefghZZ", "u3", "u2", "u3", "u4" }
            .Select((v, i) => From(1 + i % 5, Get("/", Cookie($"SID={v}")))).Append(From(9, Get("/"))));

    [Fact]
    public Task StickOn_BinaryKeysPaddedAndCut_SameServersAsHaproxy() => AssertSameAsync("stick_binary",
        new[] { "ab", "abcd", "ab", "abcdef", "xy", "abcd", "xyz", "ab" }.Select((v, i) => From(2 + i, Get("/", Cookie($"b={v}")))));

    [Fact]
    public Task StickOn_UrlParam_SameServersAsHaproxy() => AssertSameAsync("stick_url_param",
        new[] { "/p?sid=a", "/p?x=1&sid=b", "/q?y=2;sid=c", "/p", "/r?sid=a&x=9", "/s?sid=b", "http://test.local/t?sid=c", "/p?sid=", "/p?sid=d", "/u?sid=d" }
            .Select((t, i) => From(1 + i, Get(t))));

    [Fact]
    public Task StickOn_IntegerTableFromText_SameServersAsHaproxy() => AssertSameAsync("stick_integer",
        new[] { "42", "7", "42abc", "abc", "-1", "4294967338", "0", "7x", "4294967295" }.Select((v, i) => From(1 + i, Get($"/i?uid={v}"))));

    [Fact]
    public Task StickOn_HeaderLastOccurrence_SameServersAsHaproxy() => AssertSameAsync("stick_hdr",
    [
        From(1, Get("/", "X-User: alice\r\n")), From(2, Get("/", "X-User: bob\r\n")), From(3, Get("/", "X-User: x, alice\r\n")),
        From(4, Get("/", "X-User: carol\r\nX-User: bob\r\n")), From(5, Get("/")), From(6, Get("/", "X-User:  carol \r\n")),
        From(7, Get("/", "X-User: bob, \"a,b\"\r\n")), From(8, Get("/", "X-User: \"a,b\"\r\n")), From(9, Get("/", "X-User: alice\r\n")),
    ]);

    [Fact]
    public Task StickOn_Path_SameServersAsHaproxy() => AssertSameAsync("stick_path",
        new[] { "/a/b", "/c", "/a/b?x=1", "http://test.local/c?y", "/d", "/a/b", "/e?/a/b" }.Select((t, i) => From(1 + i, Get(t))));

    [Fact]
    public Task StickOn_TwoRulesOneTable_FirstStoreWins_SameServersAsHaproxy() => AssertSameAsync("stick_two_rules",
    [
        From(1, Get("/", Cookie("SID=k1"))), From(2, Get("/", "X-User: u1\r\n" + Cookie("SID=k1"))), From(3, Get("/", "X-User: u2\r\n")),
        From(4, Get("/", Cookie("SID=k1"))), From(5, Get("/", "X-User: u1\r\n")), From(6, Get("/", "X-User: u2\r\n" + Cookie("SID=k2"))),
        From(7, Get("/", Cookie("SID=k2"))), From(8, Get("/", "X-User: u3\r\n" + Cookie("SID=k1"))), From(9, Get("/", Cookie("SID=u1"))),
    ]);

    [Fact]
    public Task StickOn_ServerDownThenBack_SameServersAsHaproxy() => AssertSameAsync("stick_down",
        [FromSources(12).ToArray(), FromSources(12, 3).ToArray(), FromSources(12, 1).ToArray()],
        between: (haproxy, p) => SetServerAsync(haproxy, "stick_down", "s2", up: p == 2));

    [Fact]
    public Task StickMatch_LearnedCookieServerDownThenBack_SameServersAsHaproxy()
    {
        (string, string)[] phase =
        [
            From(1, Get("/", Cookie("JSESSIONID=abc2"))), From(2, Get("/", Cookie("JSESSIONID=abc1"))),
            From(3, Get("/setcookie", Cookie("JSESSIONID=abc2"))), From(4, Get("/", Cookie("JSESSIONID=abc3"))),
            From(5, Get("/", Cookie("JSESSIONID=abc2"))),
        ];
        return AssertSameAsync("stick_down_learn",
            [[From(1, Get("/setcookie")), From(2, Get("/setcookie")), From(3, Get("/setcookie")), .. phase], phase, phase],
            between: (haproxy, p) => SetServerAsync(haproxy, "stick_down_learn", "s2", up: p == 2));
    }

    [Fact]
    public Task StickOn_OptionPersist_ServerInMaintenanceStillPinned_SameServersAsHaproxy() => AssertSameAsync("stick_persist",
        [FromSources(6).ToArray(), FromSources(8).ToArray(), FromSources(8).ToArray()],
        between: (haproxy, p) => SetServerAsync(haproxy, "stick_persist", "s2", up: p == 2));

    [Fact]
    public Task StickOn_ServerRefusesConnections_KeyStoredWithTheRedispatchTarget_SameServersAsHaproxy() =>
        AssertSameAsync("stick_redispatch", FromSources(16));

    [Fact]
    public Task StickOn_EntriesExpireUnlessTouched_SameServersAsHaproxy() => AssertSameAsync("stick_expire",
        [
            [From(1, Get("/")), From(2, Get("/")), From(3, Get("/")), From(4, Get("/"))],
            [From(1, Get("/"))],
            [From(1, Get("/")), From(4, Get("/")), From(3, Get("/")), From(2, Get("/"))],
        ],
        // expire 2s: 1 is touched at 1.2 s and lives on; 2..4 are gone by 2.4 s.
        between: (_, _) => Task.Delay(1200));

    [Fact]
    public async Task StickOn_FullTable_EvictsLikeHaproxy()
    {
        // size 3: the fourth client evicts the oldest; the probe backend only looks entries up
        // ('stick match' ... 'table be_stick_size'), which touches them without storing; what it
        // does not find goes to s4.
        // Requests are spaced so that each one falls in its own millisecond in both proxies.
        var probe = Enumerable.Range(1, 7).Select(a => From(a, Get("/probe"))).ToArray();
        (string, string)[] fill = [From(1, Get("/")), From(2, Get("/")), From(3, Get("/")), From(4, Get("/"))];
        (string, string)[] more = [From(5, Get("/")), From(6, Get("/")), From(2, Get("/")), From(7, Get("/"))];
        async Task<List<string>> Run(bool haproxy)
        {
            var got = new List<string>();
            foreach (var (name, requests) in new[] { ("stick_size", fill), ("stick_size_probe", probe), ("stick_size", more), ("stick_size_probe", probe) })
            {
                var (h, l) = _fx.Ports[name];
                got.AddRange(await RunAsync(haproxy ? h : l, requests, 15));
                got.Add("|");
            }
            return got;
        }
        var fromHaproxy = Run(haproxy: true);
        var fromLb = Run(haproxy: false);
        var expected = await fromHaproxy;
        var actual = await fromLb;
        _out.WriteLine($"haproxy: {string.Join(" ", expected)}");
        _out.WriteLine($"lb:      {string.Join(" ", actual)}");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public Task StickOn_FullNopurgeTable_RefusesNewKeys_SameServersAsHaproxy() =>
        AssertSameAsync("stick_nopurge", new[] { 1, 2, 3, 1, 2, 3, 4, 1, 3 }.Select(a => From(a, Get("/"))));

    [Fact]
    public Task AppSession_TranslatedOntoStickRules_SameServersAsHaproxyWithTheTranslation() => AssertSameAsync("appsession",
    [
        From(1, Get("/setcookie")), From(2, Get("/setcookie")), From(3, Get("/setcookie")),
        From(4, Get("/", Cookie("JSESSIONID=abc2"))), From(5, Get("/app;JSESSIONID=abc3")), From(6, Get("/app;JSESSIONID=abc1")),
        From(7, Get("/app;JSESSIONID=abc2?x=1")), From(8, Get("/", Cookie("JSESSIONID=abc7"))), From(9, Get("/", Cookie("JSESSIONID=abc1"))),
        From(10, Get("/app;jsessionid=abc3")),
    ]);
}
