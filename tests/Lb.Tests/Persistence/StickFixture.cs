using Lb.Tests.Balancing;

namespace Lb.Tests.Persistence;

/// <summary>
/// The stick-table cases of <see cref="StickDifferentialTests"/>, run through haproxy and Lb by
/// the balancing tests' <see cref="DifferentialFixture"/>. Every backend balances round robin
/// over s1..s3, so that a request the table does not pin lands on the next server in turn.
/// </summary>
public sealed class StickFixture() : DifferentialFixture(StickCases)
{
    private const string Servers = "{s1}\n{s2}\n{s3}";

    private static string Backend(string lines) => "balance roundrobin\n" + lines + "\n" + Servers;

    /// <summary>What 'appsession JSESSIONID len 52 timeout 3h' becomes (see Lb.Config.Legacy.AppSession).</summary>
    public const string AppSessionTranslated =
        "stick-table type string len 52 size 100k expire 3h\nstick store-response res.cook(JSESSIONID)\n" +
        "stick match req.cook(JSESSIONID)\nstick match url_param(JSESSIONID,;)";

    public static readonly BalanceCase[] StickCases =
    [
        new("stick_src", "http", Backend("stick-table type ip size 100 expire 30s\nstick on src")),
        new("stick_src_tcp", "tcp", Backend("stick-table type ip size 100 expire 30s\nstick on src")),
        new("stick_src_tcp_response", "tcp", Backend("stick-table type ip size 100\nstick match src\nstick store-response src")),
        new("stick_ipv6", "http", Backend("stick-table type ipv6 size 100\nstick on src")),
        new("stick_src_string", "http", Backend("stick-table type string len 9 size 100\nstick on src")),
        new("stick_cookie_learn", "http", Backend("stick-table type string len 32 size 100 expire 30s\nstick store-response res.cook(JSESSIONID)\nstick match req.cook(JSESSIONID)")),
        new("stick_cookie_on", "http", Backend("stick-table type string len 8 size 100 expire 30s\nstick on req.cook(SID)")),
        new("stick_binary", "http", Backend("stick-table type binary len 4 size 100\nstick on cookie(b)")),
        new("stick_url_param", "http", Backend("stick-table type string size 100\nstick on url_param(sid)")),
        new("stick_integer", "http", Backend("stick-table type integer size 100\nstick on urlp(uid)")),
        new("stick_hdr", "http", Backend("stick-table type string size 100\nstick on hdr(X-User)")),
        new("stick_path", "http", Backend("stick-table type string size 100\nstick on path")),
        new("stick_two_rules", "http", Backend("stick-table type string len 32 size 100\nstick on hdr(X-User)\nstick on req.cook(SID)")),
        new("stick_match_store", "http", Backend("stick-table type ip size 100\nstick match src\nstick store-request src")),
        new("stick_down", "http", Backend("stick-table type ip size 100 expire 30s\nstick on src")),
        new("stick_down_learn", "http", Backend("stick-table type string len 32 size 100 expire 30s\nstick store-response res.cook(JSESSIONID)\nstick match req.cook(JSESSIONID)")),
        new("stick_persist", "http", Backend("option persist\nstick-table type ip size 100\nstick on src")),
        // 127.0.0.1:1 refuses connections: a request sent there is redispatched, and the key sticks to where it landed.
        new("stick_redispatch", "http", "balance roundrobin\noption redispatch\nretries 1\nstick-table type ip size 100\nstick on src\n{s1}\nserver dead 127.0.0.1:1\n{s3}"),
        new("stick_expire", "http", Backend("stick-table type ip size 100 expire 2s\nstick on src")),
        new("stick_size", "http", Backend("stick-table type ip size 3 expire 30s\nstick on src")),
        // Looks the other table up only; a key it does not find goes to s4, whose weight alone is not 0.
        new("stick_size_probe", "http", "balance roundrobin\nstick match src table be_stick_size\n{s1} weight 0\n{s2} weight 0\n{s3} weight 0\n{s4}"),
        new("stick_nopurge", "http", Backend("stick-table type ip size 2 nopurge\nstick on src")),
        new("appsession", "http", Backend(AppSessionTranslated), Backend("appsession JSESSIONID len 52 timeout 3h")),
    ];
}
