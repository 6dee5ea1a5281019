using System.Collections.Immutable;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>'stick-table' and 'stick on|match|store-request|store-response'.</summary>
internal sealed partial class ProxyBuilder
{
    private static readonly string[] StoreTypes =
    {
        "server_id", "gpc0", "gpc0_rate", "gpc1", "gpc1_rate", "gpt0", "gpc", "gpc_rate", "gpt", "conn_cnt",
        "conn_cur", "conn_rate", "sess_cnt", "sess_rate", "http_req_cnt", "http_req_rate", "http_err_cnt",
        "http_err_rate", "http_fail_cnt", "http_fail_rate", "bytes_in_cnt", "bytes_in_rate", "bytes_out_cnt",
        "bytes_out_rate",
    };

    public void ParseStickTable(ConfigLine l)
    {
        var at = l.Location;
        if (P.StickTable != null) { D.Alert(at, "stick-table", $"only one stick-table per proxy is allowed ({Describe()})."); return; }
        StickTableType? type = null;
        int len = 32;
        long size = 0;
        TimeSpan? expire = null;
        bool nopurge = false;
        string? peers = null;
        var store = new List<string>();
        for (int i = 1; i < l.Count; i++)
        {
            var w = l[i];
            var v = l[i + 1];
            switch (w)
            {
                case "type":
                    type = v switch
                    {
                        "ip" => StickTableType.Ip, "ipv6" => StickTableType.Ipv6, "integer" => StickTableType.Integer,
                        "string" => StickTableType.String, "binary" => StickTableType.Binary, _ => null,
                    };
                    if (type is null) { D.Alert(at, "stick-table", $"'stick-table' : unknown type '{v}' (ip, ipv6, integer, string, binary)."); return; }
                    i++;
                    if (l[i + 1] == "len")
                    {
                        if (!IntParser.TryParseInRange(l[i + 2], 1, 65535, out len)) { D.Alert(at, "stick-table", $"'stick-table' : invalid key length '{l[i + 2]}'."); return; }
                        i += 2;
                    }
                    break;
                case "size":
                    var serr = SizeParser.TryParse(v, "stick-table size", out size);
                    if (serr != null) { D.Alert(at, "stick-table", serr); return; }
                    i++;
                    break;
                case "expire":
                    var terr = TimeParser.TryParse(v, "stick-table expire", out var e);
                    if (terr != null) { D.Alert(at, "stick-table", terr); return; }
                    expire = e;
                    i++;
                    break;
                case "nopurge": nopurge = true; break;
                case "peers": peers = v; i++; break;
                case "store":
                    foreach (var item in v.Split(','))
                    {
                        var paren = item.IndexOf('(');
                        var name = paren < 0 ? item : item[..paren];
                        if (Array.IndexOf(StoreTypes, name) < 0) { D.Alert(at, "stick-table", $"'stick-table' : unknown data type '{name}' in 'store'."); return; }
                        store.Add(item);
                    }
                    i++;
                    break;
                case "srvkey" or "write-to" or "recv-only":
                    i += w == "recv-only" ? 0 : 1;
                    break;
                default:
                    D.Alert(at, "stick-table", $"'stick-table' : unknown argument '{w}' (expects type, size, expire, nopurge, peers, store).");
                    return;
            }
        }
        if (type is null) { D.Alert(at, "stick-table", "'stick-table' : missing 'type'."); return; }
        if (size <= 0) { D.Alert(at, "stick-table", "'stick-table' : missing 'size'."); return; }
        P = P with { StickTable = new StickTable(type.Value, len, size, expire, nopurge, peers, store.ToImmutableArray(), at) };
    }

    public void ParseStick(ConfigLine l)
    {
        var at = l.Location;
        StickRuleKind? kind = l[1] switch
        {
            "on" => StickRuleKind.On, "match" => StickRuleKind.Match,
            "store-request" => StickRuleKind.StoreRequest, "store-response" => StickRuleKind.StoreResponse, _ => null,
        };
        if (kind is null) { D.Alert(at, "stick", $"'stick' expects 'on', 'match', 'store-request' or 'store-response' (got '{l[1]}')."); return; }
        if (l[2].Length == 0 || l[2] is "if" or "unless" or "table") { D.Alert(at, "stick", $"'stick {l[1]}' expects a sample expression."); return; }
        string? table = null;
        int i = 3;
        if (l[i] == "table")
        {
            if (l[i + 1].Length == 0) { D.Alert(at, "stick", $"'stick {l[1]}' : 'table' expects a table name."); return; }
            table = l[i + 1];
            i += 2;
        }
        Condition? cond = null;
        if (i < l.Count)
        {
            cond = ParseCondition(l, i, $"'stick {l[1]}' rule");
            if (cond is null) return;
        }
        StickRules.Add(new StickRule(kind.Value, l[2], table, cond, at));
    }
}
