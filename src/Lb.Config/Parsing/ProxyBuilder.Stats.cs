using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>'stats enable|uri|realm|auth|refresh|hide-version|admin|...' in a proxy.</summary>
internal sealed partial class ProxyBuilder
{
    public void ParseStats(ConfigLine l)
    {
        var at = l.Location;
        var st = P.Stats;
        switch (l[1])
        {
            case "enable": st = st with { Enabled = true }; break;
            case "disable": st = st with { Enabled = false }; break;
            case "uri":
                if (l[2].Length == 0) { D.Alert(at, "stats", "'stats uri' needs an URI prefix."); return; }
                st = st with { Enabled = true, Uri = l[2] };
                break;
            case "realm":
                if (l[2].Length == 0) { D.Alert(at, "stats", "'stats realm' needs a realm name."); return; }
                if (l.Count > 3)
                    D.Warn(at, "stats", $"'stats realm' takes one word: using '{l[2]}' and ignoring '{string.Join(' ', l.Words.Skip(3))}' (quote the realm or escape its spaces with '\\ ').");
                st = st with { Enabled = true, Realm = l[2] };
                break;
            case "auth":
                if (!l[2].Contains(':')) { D.Alert(at, "stats", "'stats auth' needs a user:password account."); return; }
                StatsAuth.Add(l[2]);
                st = st with { Enabled = true };
                break;
            case "refresh":
                var err = TimeParser.TryParse(l[2], "stats refresh", out var t, defaultUnitMs: 1000);
                if (err != null) { D.Alert(at, "stats", err); return; }
                st = st with { Enabled = true, Refresh = t };
                break;
            case "hide-version": st = st with { Enabled = true, HideVersion = true }; break;
            case "show-legends": st = st with { Enabled = true, ShowLegends = true }; break;
            case "show-node": st = st with { Enabled = true, ShowNode = true, NodeName = l[2].Length > 0 ? l[2] : null }; break;
            case "show-desc": st = st with { Enabled = true, ShowDesc = string.Join(' ', l.Words.Skip(2)) }; break;
            case "show-modules": st = st with { Enabled = true }; break;
            case "scope":
                if (l[2].Length == 0) { D.Alert(at, "stats", "'stats scope' needs a proxy name."); return; }
                st = st with { Enabled = true, Scopes = st.Scopes.Add(l[2]) };
                break;
            case "admin":
                if (P.Kind == Model.SectionKind.Defaults) { D.Alert(at, "stats", "'stats admin' not allowed in 'defaults' section."); return; }
                var cond = ParseCondition(l, 2, "'stats admin' rule");
                if (cond is null) return;
                StatsAdmin.Add(cond);
                st = st with { Enabled = true };
                break;
            case "http-request":
                if (P.Kind == Model.SectionKind.Defaults) { D.Alert(at, "stats", "'stats http-request' not allowed in 'defaults' section."); return; }
                KeepDirective(l);
                break;
            case "socket" or "timeout" or "maxconn" or "bind-process":
                D.Alert(at, "stats", $"'stats {l[1]}' is only allowed in the 'global' section.");
                return;
            default:
                D.Alert(at, "stats", $"'stats' expects 'admin', 'uri', 'realm', 'auth', 'scope', 'enable', 'hide-version', 'show-node', 'show-desc' or 'show-legends' (got '{l[1]}').");
                return;
        }
        P = P with { Stats = st };
    }
}
