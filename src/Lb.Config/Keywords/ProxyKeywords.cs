using Lb.Config.Parsing;

namespace Lb.Config.Keywords;

internal sealed record KeywordSpec(Cap Caps, Action<ProxyBuilder, ConfigLine> Handler);

/// <summary>
/// Every proxy keyword of HAProxy 2.6 with the sections it is allowed in. The modelled ones have
/// a parser; the rest are validated for placement and kept as directives for later issues.
/// </summary>
internal static class ProxyKeywords
{
    public static readonly Dictionary<string, KeywordSpec> Table = Build();

    private static Dictionary<string, KeywordSpec> Build()
    {
        var t = new Dictionary<string, KeywordSpec>(StringComparer.Ordinal);
        void Add(string kw, Cap caps, Action<ProxyBuilder, ConfigLine> h) => t[kw] = new KeywordSpec(caps, h);
        void Keep(Cap caps, params string[] kws)
        {
            foreach (var kw in kws) t[kw] = new KeywordSpec(caps, (b, l) => b.KeepDirective(l));
        }

        Add("mode", Cap.All, (b, l) => b.ParseMode(l));
        Add("bind", Cap.Frontend, (b, l) => b.ParseBind(l));
        Add("maxconn", Cap.DF, (b, l) => b.ParseMaxConn(l));
        Add("fullconn", Cap.DB, (b, l) => b.ParseFullConn(l));
        Add("retries", Cap.DB, (b, l) => b.ParseRetries(l));
        Add("timeout", Cap.All, (b, l) => b.ParseTimeout(l));
        Add("log", Cap.All, (b, l) => b.ParseLog(l));
        Add("log-format", Cap.DF, (b, l) => b.ParseLogFormat(l));
        Add("description", Cap.FB, (b, l) => b.P = b.P with { Description = string.Join(' ', l.Words.Skip(1)) });
        Add("disabled", Cap.All, (b, l) => b.P = b.P with { Disabled = true });
        Add("enabled", Cap.All, (b, l) => b.P = b.P with { Disabled = false });
        Add("id", Cap.FB, (b, l) => b.ParseId(l));
        Add("default_backend", Cap.DF, (b, l) => b.ParseDefaultBackend(l));
        Add("use_backend", Cap.Frontend, (b, l) => b.ParseUseBackend(l));
        Add("use-server", Cap.Backend, (b, l) => b.ParseUseServer(l));
        Add("errorfile", Cap.All, (b, l) => b.ParseErrorFile(l));
        Add("monitor-uri", Cap.DF, (b, l) => b.ParseMonitorUri(l));
        Add("rate-limit", Cap.DF, (b, l) => b.ParseRateLimit(l));
        Add("server", Cap.Backend, (b, l) => b.ParseServer(l, isDefault: false));
        Add("default-server", Cap.DB, (b, l) => b.ParseServer(l, isDefault: true));
        Add("balance", Cap.DB, (b, l) => b.ParseBalance(l));
        Add("hash-type", Cap.DB, (b, l) => b.ParseHashType(l));
        Add("cookie", Cap.DB, (b, l) => b.ParseCookie(l));
        Add("option", Cap.All, (b, l) => b.ParseOption(l, 1, negated: false));
        Add("http-check", Cap.DB, (b, l) => b.ParseHttpCheck(l));
        Add("acl", Cap.FB | Cap.NamedDefaults, (b, l) => b.ParseAcl(l));
        Add("http-request", Cap.FB | Cap.NamedDefaults, (b, l) => b.ParseActionRule(l));
        Add("http-response", Cap.FB | Cap.NamedDefaults, (b, l) => b.ParseActionRule(l));
        Add("http-after-response", Cap.FB | Cap.NamedDefaults, (b, l) => b.ParseActionRule(l));
        Add("tcp-request", Cap.FB | Cap.NamedDefaults, (b, l) => b.ParseTcpRule(l));
        Add("tcp-response", Cap.Backend | Cap.NamedDefaults, (b, l) => b.ParseTcpRule(l));
        Add("redirect", Cap.FB, (b, l) => b.ParseRedirect(l));
        Add("stick-table", Cap.FB, (b, l) => b.ParseStickTable(l));
        Add("stick", Cap.Backend, (b, l) => b.ParseStick(l));
        Add("stats", Cap.All, (b, l) => b.ParseStats(l));

        Keep(Cap.DF, "backlog", "clitcpka-cnt", "clitcpka-idle", "clitcpka-intvl", "error-log-format",
            "log-format-sd", "unique-id-format", "unique-id-header", "declare");
        Keep(Cap.Frontend, "capture", "monitor");
        Keep(Cap.All, "compression", "email-alert", "errorfiles", "errorloc", "errorloc302", "errorloc303",
            "http-error", "log-tag");
        Keep(Cap.DB, "hash-balance-factor", "http-reuse", "load-server-state-from-file", "max-keep-alive-queue",
            "persist", "retry-on", "server-state-file-name", "source", "srvtcpka-cnt", "srvtcpka-idle",
            "srvtcpka-intvl", "tcp-check", "external-check");
        Keep(Cap.Backend, "dispatch", "http-send-name-header", "server-template", "use-fcgi-app");
        Keep(Cap.FB, "filter", "force-persist", "ignore-persist");
        return t;
    }
}
