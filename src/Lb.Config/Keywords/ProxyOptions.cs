namespace Lb.Config.Keywords;

/// <summary>An 'option NAME': where it applies, whether 'no option' is allowed, and its group.</summary>
internal sealed record OptionSpec(string Name, Cap Caps, bool Negatable = true, string? Group = null, int MaxArgs = 0);

/// <summary>
/// The 'option' names of HAProxy 2.6. Options in the same group exclude each other: the last
/// one given wins (http connection modes, check types, log formats), as in HAProxy.
/// </summary>
internal static class ProxyOptions
{
    public const string HttpModeGroup = "http-mode";
    public const string CheckGroup = "check-type";
    public const string LogGroup = "log-format";

    public static readonly Dictionary<string, OptionSpec> Table = new OptionSpec[]
    {
        new("abortonclose", Cap.DB), new("accept-invalid-http-request", Cap.DF), new("accept-invalid-http-response", Cap.DB),
        new("allbackups", Cap.DB), new("checkcache", Cap.DB), new("clitcpka", Cap.DF), new("contstats", Cap.DF),
        new("disable-h2-upgrade", Cap.DF), new("dontlog-normal", Cap.DF), new("dontlognull", Cap.DF),
        new("forwardfor", Cap.All, Negatable: false, MaxArgs: 5),
        new("h1-case-adjust-bogus-client", Cap.DF), new("h1-case-adjust-bogus-server", Cap.DB),
        new("http-buffer-request", Cap.All), new("http-ignore-probes", Cap.DF),
        new("http-keep-alive", Cap.All, Group: HttpModeGroup), new("http-server-close", Cap.All, Group: HttpModeGroup),
        new("httpclose", Cap.All, Group: HttpModeGroup),
        new("http-no-delay", Cap.All), new("http-pretend-keepalive", Cap.All), new("http-use-proxy-header", Cap.DF),
        new("http-restrict-req-hdr-names", Cap.All, Negatable: false, MaxArgs: 1), new("http_proxy", Cap.All),
        new("httpchk", Cap.DB, Negatable: false, Group: CheckGroup, MaxArgs: 3),
        new("httplog", Cap.All, Negatable: false, Group: LogGroup, MaxArgs: 1),
        new("tcplog", Cap.All, Negatable: false, Group: LogGroup),
        new("idle-close-on-response", Cap.DF), new("independent-streams", Cap.All),
        new("ldap-check", Cap.DB, Negatable: false, Group: CheckGroup),
        new("external-check", Cap.DB, Negatable: false, Group: CheckGroup),
        new("mysql-check", Cap.DB, Negatable: false, Group: CheckGroup, MaxArgs: 3),
        new("pgsql-check", Cap.DB, Negatable: false, Group: CheckGroup, MaxArgs: 2),
        new("redis-check", Cap.DB, Negatable: false, Group: CheckGroup),
        new("smtpchk", Cap.DB, Negatable: false, Group: CheckGroup, MaxArgs: 2),
        new("spop-check", Cap.DB, Negatable: false, Group: CheckGroup),
        new("ssl-hello-chk", Cap.DB, Negatable: false, Group: CheckGroup),
        new("tcp-check", Cap.DB, Negatable: false, Group: CheckGroup),
        new("log-health-checks", Cap.DB), new("log-separate-errors", Cap.DF), new("logasap", Cap.DF),
        new("nolinger", Cap.All), new("originalto", Cap.All, Negatable: false, MaxArgs: 4),
        new("persist", Cap.DB), new("prefer-last-server", Cap.DB), new("redispatch", Cap.DB, MaxArgs: 1),
        new("socket-stats", Cap.DF), new("splice-auto", Cap.All), new("splice-request", Cap.All),
        new("splice-response", Cap.All), new("srvtcpka", Cap.DB), new("tcp-smart-accept", Cap.DF),
        new("tcp-smart-connect", Cap.DB), new("tcpka", Cap.All), new("transparent", Cap.DB),
        new("http-drop-request-trailers", Cap.DB), new("http-drop-response-trailers", Cap.DF),
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);
}
