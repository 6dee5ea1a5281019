using Lb.Config.Diagnostics;
using Lb.Config.Keywords;
using Lb.Config.Model;

namespace Lb.Config.Validation;

/// <summary>
/// Checks that need the whole file: names that must be unique, references between proxies,
/// mode compatibility, stick tables, missing timeouts. Collects every finding.
/// </summary>
internal static class ConfigValidator
{
    public static void Validate(LbConfig config, DiagnosticBag d)
    {
        CheckDuplicateProxies(config, d);
        foreach (var p in config.Proxies)
        {
            if (p.IsFrontend) CheckFrontend(config, p, d);
            if (p.IsBackend) CheckBackend(config, p, d);
            CheckAclArguments(config, p, d);
            CheckTimeouts(p, d);
            CheckLogTargets(config, p, d);
        }
    }

    private static void CheckDuplicateProxies(LbConfig config, DiagnosticBag d)
    {
        var seen = new Dictionary<string, List<Proxy>>(StringComparer.Ordinal);
        foreach (var p in config.Proxies)
        {
            if (!seen.TryGetValue(p.Name, out var same)) seen[p.Name] = same = new List<Proxy>();
            // A frontend and a backend may share a name; two of a kind (or a listen) may not.
            var clash = same.FirstOrDefault(o => (o.Capability & p.Capability) != 0);
            if (clash != null)
                d.Alert(p.Location, KindWord(p), $"{KindWord(p)} '{p.Name}' has the same name as {KindWord(clash)} '{clash.Name}' declared at {clash.Location}.");
            same.Add(p);
        }
    }

    private static void CheckFrontend(LbConfig config, Proxy p, DiagnosticBag d)
    {
        if (p.Binds.IsEmpty && !p.Disabled)
            d.Warn(p.Location, KindWord(p), $"{KindWord(p)} '{p.Name}' has no 'bind' directive. Please declare it as a backend if this was intended.");

        if (p.DefaultBackend is { } def)
            CheckBackendRef(config, p, def, p.DefaultBackendLocation ?? p.Location, "default_backend", d);
        foreach (var sw in p.UseBackends)
            if (!sw.Backend.Contains("%["))
                CheckBackendRef(config, p, sw.Backend, sw.Location, "use_backend", d);
    }

    private static void CheckBackendRef(LbConfig config, Proxy fe, string name, SourceLocation at, string keyword, DiagnosticBag d)
    {
        var be = config.FindBackend(name);
        if (be is null)
        {
            var hint = Parsing.Suggest.OrPeriod(name, config.Backends.Select(b => b.Name));
            d.Alert(at, keyword, $"Proxy '{fe.Name}': unable to find required {keyword}: '{name}'{hint}");
            return;
        }
        if (fe.Mode == ProxyMode.Http && be.Mode == ProxyMode.Tcp)
            d.Alert(at, keyword,
                $"http {KindWord(fe)} '{fe.Name}' ({fe.Location}) tries to use incompatible tcp backend '{be.Name}' ({be.Location}) as its {(keyword == "default_backend" ? "default backend" : "backend")} (see 'mode').");
    }

    private static void CheckBackend(LbConfig config, Proxy p, DiagnosticBag d)
    {
        var names = new Dictionary<string, Server>(StringComparer.Ordinal);
        var ids = new Dictionary<int, Server>();
        foreach (var s in p.Servers)
        {
            if (names.TryGetValue(s.Name, out var first))
                d.Alert(s.Location, "server", $"{KindWord(p)} '{p.Name}', another server named '{s.Name}' was already defined at line {first.Location.Line}, please use distinct names.");
            else names[s.Name] = s;
            if (s.Id is { } id)
            {
                if (ids.TryGetValue(id, out var other))
                    d.Alert(s.Location, "server", $"'server {p.Name}/{s.Name}' : id {id} already used by server '{other.Name}'.");
                else ids[id] = s;
            }
        }
        foreach (var us in p.UseServers)
            if (!names.ContainsKey(us.Server))
                d.Alert(us.Location, "use-server", $"Proxy '{p.Name}': unable to find server '{us.Server}' referenced in a 'use-server' rule.");

        foreach (var rule in p.StickRules)
        {
            var tableName = rule.Table ?? p.Name;
            var owner = tableName == p.Name ? p : config.FindProxy(tableName);
            if (owner?.StickTable is null)
                d.Alert(rule.Location, "stick", $"Proxy '{p.Name}': unable to find stick-table '{tableName}'.");
        }

        if (p.Cookie is { } c && p.Mode == ProxyMode.Tcp)
            d.Warn(p.Location, "cookie", $"{KindWord(p)} '{p.Name}' : 'cookie {c.Name}' needs 'mode http'; ignored in tcp mode.");
        if (p.Balance.Algorithm is BalanceAlgorithm.Uri or BalanceAlgorithm.UrlParam or BalanceAlgorithm.Header && p.Mode == ProxyMode.Tcp)
            d.Warn(p.Location, "balance", $"{KindWord(p)} '{p.Name}' : this balance algorithm needs 'mode http'; falling back to roundrobin in tcp mode.");
    }

    // Fetches whose first argument names a backend (nbsrv(be), be_conn(be), ...).
    private static readonly HashSet<string> BackendArgFetches = new(StringComparer.Ordinal)
    {
        "nbsrv", "be_conn", "be_conn_free", "be_sess_rate", "queue", "avg_queue", "connslots",
        "srv_conn", "srv_conn_free", "srv_is_up", "srv_queue", "srv_sess_rate",
    };

    private static void CheckAclArguments(LbConfig config, Proxy p, DiagnosticBag d)
    {
        var acls = p.Acls.Concat(p.Rules.SelectMany(r => AnonymousAcls(r.Condition)))
            .Concat(p.UseBackends.SelectMany(u => AnonymousAcls(u.Condition)));
        foreach (var acl in acls)
        {
            var fetch = Fetches.BaseName(acl.Criterion);
            if (!BackendArgFetches.Contains(fetch)) continue;
            var open = acl.Criterion.IndexOf('(');
            if (open < 0) continue;
            var arg = acl.Criterion[(open + 1)..].TrimEnd(')');
            var beName = fetch.StartsWith("srv_") ? arg.Split('/')[0] : arg;
            var be = config.FindBackend(beName);
            if (be is null)
            {
                d.Alert(acl.Location, "acl", $"unable to find backend '{beName}' referenced in arg 1 of ACL keyword '{fetch}' in proxy '{p.Name}'.");
                continue;
            }
            if (fetch.StartsWith("srv_") && arg.Contains('/') && be.FindServer(arg.Split('/')[1]) is null)
                d.Alert(acl.Location, "acl", $"unable to find server '{arg}' referenced in arg 1 of ACL keyword '{fetch}' in proxy '{p.Name}'.");
        }
    }

    private static IEnumerable<AclDefinition> AnonymousAcls(Condition? c) =>
        c is null ? Enumerable.Empty<AclDefinition>() : c.Terms.Where(t => t.Anonymous != null).Select(t => t.Anonymous!);

    private static void CheckTimeouts(Proxy p, DiagnosticBag d)
    {
        if (p.Mode == ProxyMode.Health || p.Disabled) return;
        var t = p.Timeouts;
        bool missing = p.IsFrontend && t.Client is null || p.IsBackend && (t.Connect is null || t.Server is null);
        if (missing)
            d.Warn(p.Location, "timeout",
                $"missing timeouts for {KindWord(p)} '{p.Name}'. While not properly invalid, you will certainly encounter various problems with such a configuration. To fix this, please ensure that all following timeouts are set to a non-zero value: 'client', 'connect', 'server'.");
    }

    private static void CheckLogTargets(LbConfig config, Proxy p, DiagnosticBag d)
    {
        bool hasFormat = p.HasOption("httplog") || p.HasOption("tcplog") || p.LogFormat != null;
        bool hasTarget = !p.Logs.IsEmpty || p.LogGlobal && !config.Global.Logs.IsEmpty;
        if (hasFormat && !hasTarget && p.IsFrontend)
            d.Warn(p.Location, "log", $"log format ignored for {KindWord(p)} '{p.Name}' since it has no log address.");
    }

    private static string KindWord(Proxy p) => p.Kind.ToString().ToLowerInvariant();
}
