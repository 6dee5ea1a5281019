using Lb.Config;
using Lb.Config.Diagnostics;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Config;

/// <summary>
/// Broken configurations must be rejected with an alert that names the right line and keyword.
/// Every case in <see cref="Cases"/> was first run through HAProxy 2.6 (`haproxy -c -f`), which
/// rejects it too; the expected line is the one HAProxy reports (for the cross-checks HAProxy
/// reports no line, and Lb points at the directive at fault). The message substring follows
/// HAProxy's wording where Lb uses the same words.
/// </summary>
public sealed class MalformedConfigTests
{
    private static LoadResult Load(string text) => ConfigLoader.LoadText(text, "haproxy.cfg", _ => null);

    /// <summary>(case name, config text, expected line, expected Diagnostic.Keyword, message substring).</summary>
    public static TheoryData<string, string, int, string, string> Cases => new()
    {
        // ---- unknown keywords, per section, and "did you mean" hints ----
        {
            "global: unknown keyword",
            """
            global
                maxconn 100
                frobnicate on
            """,
            3, "frobnicate", "unknown keyword 'frobnicate' in 'global' section"
        },
        {
            "global: near miss gets a suggestion",
            """
            global
                maxconnn 100
            """,
            2, "maxconnn", "did you mean 'maxconn'"
        },
        {
            "defaults: unknown keyword",
            """
            defaults
                mode http
                frobnicate on
            """,
            3, "frobnicate", "unknown keyword 'frobnicate' in 'defaults' section"
        },
        {
            "frontend: unknown keyword",
            """
            frontend fe
                bind 127.0.0.1:8080
                frobnicate on
            """,
            3, "frobnicate", "unknown keyword 'frobnicate' in 'frontend' section"
        },
        {
            "backend: unknown keyword",
            """
            backend be
                frobnicate on
                server s1 127.0.0.1:8081
            """,
            2, "frobnicate", "unknown keyword 'frobnicate' in 'backend' section"
        },
        {
            "listen: unknown keyword",
            """
            listen li
                bind 127.0.0.1:8080
                frobnicate on
                server s1 127.0.0.1:8081
            """,
            3, "frobnicate", "unknown keyword 'frobnicate' in 'listen' section"
        },
        {
            "frontend: defualt_backend suggests default_backend",
            """
            defaults
                mode http
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:8080
                defualt_backend be
            backend be
                server s1 127.0.0.1:8081
            """,
            8, "defualt_backend", "did you mean 'default_backend'"
        },
        {
            "option near miss gets a suggestion",
            """
            frontend fe
                bind 127.0.0.1:8080
                option httpclos
            """,
            3, "option", "did you mean 'httpclose'"
        },
        // HAProxy rejects this one without a hint; Lb adds one.
        {
            "timeout near miss gets a suggestion",
            """
            backend be
                timeout conect 5s
            """,
            2, "timeout", "did you mean 'connect'"
        },

        // ---- keywords outside any section ----
        {
            "keyword before the first section",
            """
            maxconn 100
            global
                daemon
            """,
            1, "maxconn", "unknown keyword 'maxconn' out of section"
        },
        {
            "line numbers count comments and blank lines",
            """
            # a comment

                server s1 127.0.0.1:80
            """,
            3, "server", "unknown keyword 'server' out of section"
        },

        // ---- timeouts ----
        {
            "timeout client without a value",
            """
            defaults
                timeout client
            """,
            2, "timeout", "'timeout client' expects an integer value (in milliseconds)"
        },
        {
            "timeout with an unknown unit",
            """
            defaults
                timeout client 10parsecs
            """,
            2, "timeout", "unexpected character 'p' in 'timeout client'"
        },
        {
            "unknown timeout name",
            """
            defaults
                timeout frob 5s
            """,
            2, "timeout", "(got 'frob')"
        },
        {
            "timeout with an extra argument",
            """
            defaults
                timeout client 5s 10s
            """,
            2, "timeout", "unexpected extra argument '10s'"
        },
        {
            "timeout overflow",
            """
            defaults
                timeout client 25d
            """,
            2, "timeout", "timer overflow in argument '25d' to 'timeout client'"
        },

        // ---- balance, hash-type, cookie ----
        {
            "balance roundrobbin",
            """
            backend be
                balance roundrobbin
            """,
            2, "balance", "only supports 'roundrobin'"
        },
        {
            "balance url_param without a parameter name",
            """
            backend be
                balance url_param
            """,
            2, "balance", "requires an URL parameter name"
        },
        {
            "hash-type foo",
            """
            backend be
                hash-type foo
            """,
            2, "hash-type", "'consistent'"
        },
        {
            "cookie without a name",
            """
            backend be
                mode http
                cookie
            """,
            3, "cookie", "'cookie' expects <cookie_name> as argument"
        },
        {
            "cookie insert and rewrite together",
            """
            backend be
                mode http
                cookie X insert rewrite
            """,
            3, "cookie", "'rewrite', 'insert' and 'prefix' modes"
        },

        // ---- server lines ----
        {
            "server without an address",
            """
            backend be
                server s1
            """,
            2, "server", "'server' expects <name> and <addr>[:<port>] as arguments"
        },
        {
            "server port out of range",
            """
            backend be
                server s1 1.2.3.4:99999
            """,
            2, "server", "invalid port '99999'"
        },
        {
            "server address that is not an IPv4 address",
            """
            backend be
                server s1 300.1.1.1:80
            """,
            2, "server", "'300.1.1.1'"
        },
        // For a bad option value Lb's Keyword is the server option at fault.
        {
            "server weight above 256",
            """
            backend be
                server s1 1.2.3.4:80 weight 300
            """,
            2, "weight", "weight of server s1 is not within 0 and 256 (300)"
        },
        {
            "server inter with a bad unit",
            """
            backend be
                server s1 1.2.3.4:80 check inter 2x
            """,
            2, "inter", "unexpected character 'x'"
        },
        {
            "server rise 0",
            """
            backend be
                server s1 1.2.3.4:80 check rise 0
            """,
            2, "rise", "'rise'"
        },
        {
            "server unknown option",
            """
            backend be
                server s1 1.2.3.4:80 frobnicate
            """,
            2, "frobnicate", "unknown keyword 'frobnicate'"
        },
        {
            "server observe layer9",
            """
            backend be
                server s1 1.2.3.4:80 check observe layer9
            """,
            2, "observe", "'observe' expects one of 'none', 'layer4', 'layer7' but got 'layer9'"
        },
        {
            "server on-error explode",
            """
            backend be
                server s1 1.2.3.4:80 check on-error explode
            """,
            2, "on-error", "'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death' or 'mark-down' but got 'explode'"
        },
        {
            "server id used twice",
            """
            backend be
                server s1 1.2.3.4:80 id 5
                server s2 1.2.3.4:81 id 5
            """,
            3, "server", "id 5 already used"
        },
        {
            "server in a frontend",
            """
            frontend fe
                bind 127.0.0.1:8080
                server s1 1.2.3.4:80
            """,
            3, "server", "has no backend capability"
        },

        // ---- references between proxies ----
        {
            "use_backend names an undefined backend",
            """
            defaults
                mode http
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:8080
                use_backend nosuch if TRUE
                default_backend be
            backend be
                server s1 127.0.0.1:8081
            """,
            8, "use_backend", "unable to find required use_backend: 'nosuch'"
        },
        {
            "default_backend names an undefined backend",
            """
            defaults
                mode http
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:8080
                default_backend nosuch
            backend be
                server s1 127.0.0.1:8081
            """,
            8, "default_backend", "unable to find required default_backend: 'nosuch'"
        },
        {
            "http frontend to tcp backend (default_backend)",
            """
            defaults
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            frontend fe
                mode http
                bind 127.0.0.1:8080
                default_backend be
            backend be
                mode tcp
                server s1 127.0.0.1:8081
            """,
            8, "default_backend", "tries to use incompatible tcp backend 'be'"
        },
        {
            "http frontend to tcp backend (use_backend)",
            """
            defaults
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            frontend fe
                mode http
                bind 127.0.0.1:8080
                use_backend be if TRUE
            backend be
                mode tcp
                server s1 127.0.0.1:8081
            """,
            8, "use_backend", "tries to use incompatible tcp backend 'be'"
        },
        {
            "nbsrv() of an undefined backend",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                acl dead nbsrv(nosuch) lt 1
                http-request deny if dead
            """,
            4, "acl", "unable to find backend 'nosuch' referenced in arg 1 of ACL keyword 'nbsrv'"
        },
        {
            "stick on with an unknown table",
            """
            backend be
                stick on src table nosuch
                server s1 127.0.0.1:8081
            """,
            2, "stick", "unable to find stick-table 'nosuch'"
        },
        {
            "defaults from an unknown defaults section",
            """
            defaults foo from nosuch
                mode http
            """,
            1, "from", "defaults section 'nosuch' not found"
        },

        // ---- ACLs and conditions ----
        {
            "condition uses an undefined ACL",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                http-request deny if is_bad
            """,
            4, "http-request", "no such ACL : 'is_bad'"
        },
        {
            "ACL used before it is declared",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                http-request deny if is_bad
                acl is_bad path_beg /bad
            """,
            4, "http-request", "no such ACL : 'is_bad'"
        },
        {
            "ACL with an unknown fetch",
            """
            frontend fe
                bind 127.0.0.1:8080
                acl x nosuchfetch foo
            """,
            3, "acl", "unknown fetch method 'nosuchfetch'"
        },
        {
            "ACL with an invalid regex",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                acl x path_reg (
            """,
            4, "acl", "regex '(' is invalid"
        },
        {
            "ACL with an unknown -m method",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                acl x path -m nosuch foo
            """,
            4, "acl", "unknown matching method 'nosuch'"
        },
        {
            "ACL in an anonymous defaults section",
            """
            defaults
                acl x src 1.2.3.4
            """,
            2, "acl", "not allowed in anonymous 'defaults' section"
        },

        // ---- duplicates ----
        {
            "two backends with the same name",
            """
            backend be
                server s1 127.0.0.1:8081
            backend be
                server s2 127.0.0.1:8082
            """,
            3, "backend", "has the same name as backend 'be'"
        },
        {
            "listen with the name of a frontend",
            """
            frontend app
                bind 127.0.0.1:8080
            listen app
                bind 127.0.0.1:8081
            """,
            3, "listen", "has the same name as frontend 'app'"
        },
        {
            "two servers with the same name",
            """
            backend be
                server s1 127.0.0.1:8081
                server s1 127.0.0.1:8082
            """,
            3, "server", "another server named 's1' was already defined at line 2"
        },

        // ---- bind ----
        {
            "bind without arguments",
            """
            frontend fe
                bind
            """,
            2, "bind", "'bind' expects {<path>|[addr1]:port1[-end1]}"
        },
        {
            "bind without a port",
            """
            frontend fe
                bind 127.0.0.1
            """,
            2, "bind", "missing port"
        },
        {
            "bind port 0",
            """
            frontend fe
                bind *:0
            """,
            2, "bind", "invalid port '0'"
        },
        {
            "bind with a reversed port range",
            """
            frontend fe
                bind 1.2.3.4:90-80
            """,
            2, "bind", "invalid port range '90-80'"
        },
        {
            "bind IPv6 without a port",
            """
            frontend fe
                bind [::1]
            """,
            2, "bind", "missing port"
        },
        {
            "bind with an unknown option",
            """
            frontend fe
                bind 127.0.0.1:8080 frobnicate
            """,
            2, "frobnicate", "unknown keyword 'frobnicate'"
        },
        {
            "bind in a defaults section",
            """
            defaults
                bind :80
            """,
            2, "bind", "'bind' not allowed in 'defaults' section"
        },

        // ---- options ----
        {
            "unknown option",
            """
            frontend fe
                bind 127.0.0.1:8080
                option frobble
            """,
            3, "option", "unknown option 'frobble'"
        },
        {
            "no option httplog",
            """
            frontend fe
                bind 127.0.0.1:8080
                no option httplog
            """,
            3, "option", "negation/default is not supported for option 'httplog'"
        },
        {
            "option forwardfor except with a non-network",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                option forwardfor except notanet
            """,
            4, "option", "'notanet'"
        },
        {
            "option httpchk with too many arguments",
            """
            backend be
                option httpchk GET / HTTP/1.1 extra
            """,
            2, "option", "'extra'"
        },

        // ---- HTTP rules, redirects, errorfiles ----
        {
            "errorfile with an unsupported status code",
            """
            defaults
                mode http
                errorfile 418 /etc/haproxy/errors/418.http
            """,
            3, "errorfile", "status code '418' not handled"
        },
        {
            "redirect code 305",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                redirect prefix /x code 305
            """,
            4, "redirect", "unsupported HTTP code '305' (must be one of 301, 302, 303, 307 or 308)"
        },
        {
            "http-request with an unknown action",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                http-request frobnicate
            """,
            4, "http-request", "'frobnicate'"
        },
        {
            "http-request set-header with only a name",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                http-request set-header X-Only-Name
            """,
            4, "http-request", "expects exactly 2 arguments"
        },
        {
            "http-request set-query with an empty format (an empty word ends the arguments, as in haproxy)",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                http-request set-query ""
            """,
            4, "http-request", "expects exactly 1 argument"
        },
        {
            "http-request set-header with an empty value",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                http-request set-header X-Empty ""
            """,
            4, "http-request", "expects exactly 2 arguments"
        },
        {
            "http-request redirect to an empty location",
            """
            frontend fe
                mode http
                bind 127.0.0.1:8080
                http-request redirect location ""
            """,
            4, "http-request", "expects 'location', 'prefix' or 'scheme' followed by a target"
        },
        {
            "tcp-request connection with an unknown action",
            """
            frontend fe
                bind 127.0.0.1:8080
                tcp-request connection frob
            """,
            3, "tcp-request", "'frob'"
        },
        {
            "http-check expect with an invalid regex",
            """
            backend be
                option httpchk
                http-check expect rstring (
            """,
            3, "http-check", "'('"
        },

        // ---- stick tables ----
        {
            "stick-table without a size",
            """
            backend be
                stick-table type ip
                server s1 127.0.0.1:8081
            """,
            2, "stick-table", "missing 'size'"
        },
        {
            "stick-table with an unknown type",
            """
            backend be
                stick-table type foo size 1k
            """,
            2, "stick-table", "unknown type 'foo'"
        },

        // ---- tokenizer ----
        {
            "unmatched quote",
            """
            global
                description "hello world
            """,
            2, "description", "unmatched quote"
        },
        {
            "bad \\x escape",
            """
            global
                description "abc\xZZ"
            """,
            2, "description", "truncated or invalid hexadecimal sequence"
        },
        {
            "unclosed ${ in an environment variable",
            """
            global
                description "${FOO"
            """,
            2, "description", "missing closing '}'"
        },

        // ---- global section ----
        {
            "log with an unknown facility",
            """
            global
                log 127.0.0.1 local99
            """,
            2, "log", "unknown log facility 'local99'"
        },
        {
            "log global inside global",
            """
            global
                log global
            """,
            2, "log", "'global'"
        },
        {
            "stats socket without a path",
            """
            global
                stats socket
            """,
            2, "stats socket", "'stats socket'"
        },
        {
            "stats socket with an unknown level",
            """
            global
                stats socket /tmp/lb.sock level superuser
            """,
            2, "level", "'level' only supports 'user', 'operator', and 'admin' (got 'superuser')"
        },
        {
            "global with an argument",
            """
            global foo
                daemon
            """,
            1, "global", "'global'"
        },
        {
            "frontend name with a slash",
            """
            frontend fe/x
                bind 127.0.0.1:8080
            """,
            1, "frontend", "character '/' is not permitted in 'frontend' name 'fe/x'"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedConfig_IsRejectedWithLocatedAlert(string name, string config, int line, string keyword, string message)
    {
        var r = Load(config);

        Assert.True(r.Config is null, $"{name}: expected the config to be rejected");
        Assert.True(
            r.Alerts.Any(d => d.Location?.Line == line && d.Keyword == keyword && d.Message.Contains(message, StringComparison.Ordinal)),
            $"{name}: no alert at line {line} with keyword '{keyword}' containing \"{message}\". Got:\n{Dump(r)}");
    }

    /// <summary>
    /// Lb rejects these, HAProxy 2.6 accepts them: it reads the numbers with atol() (so "abc" is 0
    /// and "-1" is -1) and ignores the extra words. Kept as tests of the deliberate strictness; if
    /// Lb is ever changed to follow HAProxy here, move them out.
    /// </summary>
    public static TheoryData<string, string, int, string, string> StricterThanHaproxy => new()
    {
        {
            "global maxconn abc",
            """
            global
                maxconn abc
            """,
            2, "maxconn", "'abc'"
        },
        {
            "frontend maxconn abc",
            """
            frontend fe
                bind 127.0.0.1:8080
                maxconn abc
            """,
            3, "maxconn", "'abc'"
        },
        {
            "retries -1",
            """
            backend be
                retries -1
                server s1 127.0.0.1:8081
            """,
            2, "retries", "'-1'"
        },
        {
            "balance roundrobin with an extra word",
            """
            backend be
                balance roundrobin foo
            """,
            2, "balance", "'foo'"
        },
    };

    [Theory]
    [MemberData(nameof(StricterThanHaproxy))]
    public void StricterThanHaproxy_IsRejected(string name, string config, int line, string keyword, string message) =>
        MalformedConfig_IsRejectedWithLocatedAlert(name, config, line, keyword, message);

    [Fact]
    public void ErrorsAreCollected_NotFirstOnly()
    {
        // Four parse errors and one cross-check error (HAProxy stops after the parse errors and
        // reports the first four; Lb reports all five).
        const string config = """
            global
                maxconnn 100
            defaults
                mode http
                timeout client 10parsecs
                timeout connect 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1
                http-request deny if nosuch_acl
                default_backend nosuch
            backend be
                server s1 127.0.0.1:8081
            """;

        var r = Load(config);

        Assert.Null(r.Config);
        var alerts = r.Alerts.ToList();
        Assert.True(alerts.Count == 5, $"expected 5 alerts, got:\n{Dump(r)}");
        Assert.Equal(new[] { 2, 5, 9, 10, 11 }, alerts.Select(a => a.Location?.Line ?? 0).Order());
        Assert.Equal(
            new[] { "bind", "default_backend", "http-request", "maxconnn", "timeout" },
            alerts.Select(a => a.Keyword ?? "").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CrLfLineEndings_KeepLineNumbers()
    {
        var r = Load("global\r\n    daemon\r\n\r\n    frobnicate on\r\n");

        Assert.Null(r.Config);
        var alert = Assert.Single(r.Alerts);
        Assert.Equal(new SourceLocation("haproxy.cfg", 4), alert.Location);
        Assert.Equal("frobnicate", alert.Keyword);
    }

    [Fact]
    public void AlertText_HasHaproxyShape()
    {
        var r = ConfigLoader.LoadText("global\n    frobnicate on\n", "lb.cfg", _ => null);

        var alert = Assert.Single(r.Alerts);
        Assert.Equal("[ALERT] parsing [lb.cfg:2] : unknown keyword 'frobnicate' in 'global' section", alert.ToString());
    }

    private static string Dump(LoadResult r) =>
        r.Diagnostics.IsEmpty ? "  (no diagnostics)" : string.Join("\n", r.Diagnostics.Select(d => $"  {d} (keyword '{d.Keyword}')"));
}
