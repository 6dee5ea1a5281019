using System.Collections.Immutable;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>'balance', 'hash-type' and 'cookie'.</summary>
internal sealed partial class ProxyBuilder
{
    private static readonly string[] Algorithms =
        { "roundrobin", "static-rr", "leastconn", "first", "source", "uri", "url_param", "hdr", "rdp-cookie", "random", "hash" };

    public void ParseBalance(ConfigLine l)
    {
        var at = l.Location;
        var word = l[1];
        var paren = word.IndexOf('(');
        var algo = paren < 0 ? word : word[..paren];
        string? inner = null;
        if (paren >= 0)
        {
            if (!word.EndsWith(')')) { D.Alert(at, "balance", $"'balance {word}' : missing closing parenthesis."); return; }
            inner = word[(paren + 1)..^1];
        }
        var b = new Balance();
        switch (algo)
        {
            case "roundrobin": b = b with { Algorithm = BalanceAlgorithm.RoundRobin }; break;
            case "static-rr": b = b with { Algorithm = BalanceAlgorithm.StaticRr }; break;
            case "leastconn": b = b with { Algorithm = BalanceAlgorithm.LeastConn }; break;
            case "first": b = b with { Algorithm = BalanceAlgorithm.First }; break;
            case "source": b = b with { Algorithm = BalanceAlgorithm.Source }; break;
            case "random":
                int draws = 2;
                if (inner != null && !IntParser.TryParseInRange(inner, 1, 100, out draws))
                { D.Alert(at, "balance", $"'balance random' : invalid number of draws '{inner}'."); return; }
                b = b with { Algorithm = BalanceAlgorithm.Random, RandomDraws = draws };
                break;
            case "uri":
                b = b with { Algorithm = BalanceAlgorithm.Uri };
                for (int i = 2; i < l.Count; i++)
                {
                    switch (l[i])
                    {
                        case "whole": b = b with { UriWhole = true }; break;
                        case "path-only": b = b with { UriPathOnly = true }; break;
                        case "len" or "depth":
                            if (!IntParser.TryParseInRange(l[i + 1], 1, int.MaxValue, out var n))
                            { D.Alert(at, "balance", $"'balance uri {l[i]}' expects a positive integer (got '{l[i + 1]}')."); return; }
                            b = l[i] == "len" ? b with { UriLen = n } : b with { UriDepth = n };
                            i++;
                            break;
                        default:
                            D.Alert(at, "balance", $"'balance uri' only accepts parameters 'len', 'depth', 'path-only' and 'whole' (got '{l[i]}')."); return;
                    }
                }
                SetBalance(b);
                return;
            case "url_param":
                if (l[2].Length == 0) { D.Alert(at, "balance", "'balance url_param' requires an URL parameter name."); return; }
                b = b with { Algorithm = BalanceAlgorithm.UrlParam, ParamName = l[2] };
                if (l[3] == "check_post")
                {
                    b = b with { CheckPost = true };
                    if (l[4].Length > 0)
                    {
                        if (!IntParser.TryParse(l[4], out var wait)) { D.Alert(at, "balance", $"'balance url_param check_post' expects an integer (got '{l[4]}')."); return; }
                        b = b with { CheckPostMaxWait = wait };
                    }
                }
                else if (l[3].Length > 0) { D.Alert(at, "balance", $"'balance url_param' only accepts check_post modifier (got '{l[3]}')."); return; }
                SetBalance(b);
                return;
            case "hdr":
                if (string.IsNullOrEmpty(inner)) { D.Alert(at, "balance", "hdr requires an http header field name."); return; }
                b = b with { Algorithm = BalanceAlgorithm.Header, HeaderName = inner };
                if (l[2] == "use_domain_only") b = b with { UseDomainOnly = true };
                else if (l[2].Length > 0) { D.Alert(at, "balance", $"'balance hdr()' only accepts 'use_domain_only' modifier (got '{l[2]}')."); return; }
                SetBalance(b);
                return;
            case "rdp-cookie":
                b = b with { Algorithm = BalanceAlgorithm.RdpCookie, CookieName = string.IsNullOrEmpty(inner) ? "mstshash" : inner };
                break;
            case "hash":
                if (l[2].Length == 0) { D.Alert(at, "balance", "'balance hash' expects a sample expression."); return; }
                b = b with { Algorithm = BalanceAlgorithm.Hash, HashExpression = l[2] };
                SetBalance(b);
                return;
            default:
                D.Alert(at, "balance",
                    $"'balance' only supports 'roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr(name)', 'rdp-cookie(name)', 'random' and 'hash' (got '{word}'){Suggest.DidYouMean(algo, Algorithms)}");
                return;
        }
        if (l[2].Length > 0) { D.Alert(at, "balance", $"'balance {algo}' takes no argument (got '{l[2]}')."); return; }
        SetBalance(b);
    }

    private void SetBalance(Balance b) => P = P with { Balance = b };

    public void ParseHashType(ConfigLine l)
    {
        HashMethod? method = l[1] switch { "map-based" => HashMethod.MapBased, "consistent" => HashMethod.Consistent, _ => null };
        if (method is null) { D.Alert(l.Location, "hash-type", $"'hash-type' expects 'map-based' or 'consistent' (got '{l[1]}')."); return; }
        // As in HAProxy, a bare 'hash-type consistent' also applies the avalanche modifier.
        var h = new HashType(method.Value, Avalanche: method == HashMethod.Consistent && l.Count == 2);
        for (int i = 2; i < l.Count; i++)
        {
            switch (l[i])
            {
                case "sdbm": h = h with { Function = HashFunction.Sdbm }; break;
                case "djb2": h = h with { Function = HashFunction.Djb2 }; break;
                case "wt6": h = h with { Function = HashFunction.Wt6 }; break;
                case "crc32": h = h with { Function = HashFunction.Crc32 }; break;
                case "none": h = h with { Function = HashFunction.None }; break;
                case "avalanche": h = h with { Avalanche = true }; break;
                default:
                    D.Alert(l.Location, "hash-type", $"'hash-type {l[1]}' : unknown hash function or modifier '{l[i]}' (supported: sdbm, djb2, wt6, crc32, none, avalanche).");
                    return;
            }
        }
        P = P with { HashType = h };
    }

    public void ParseCookie(ConfigLine l)
    {
        var at = l.Location;
        if (l[1].Length == 0) { D.Alert(at, "cookie", "'cookie' expects <cookie_name> as argument."); return; }
        var c = new CookieSettings { Name = l[1] };
        var domains = new List<string>();
        var attrs = new List<string>();
        bool modeSet = false;
        for (int i = 2; i < l.Count; i++)
        {
            var w = l[i];
            switch (w)
            {
                case "rewrite" or "insert" or "prefix":
                    if (modeSet) { D.Alert(at, "cookie", "'cookie' : 'rewrite', 'insert' and 'prefix' modes are mutually exclusive."); return; }
                    modeSet = true;
                    c = c with { Mode = w == "rewrite" ? CookieMode.Rewrite : w == "insert" ? CookieMode.Insert : CookieMode.Prefix };
                    break;
                case "indirect": c = c with { Indirect = true }; break;
                case "nocache": c = c with { NoCache = true }; break;
                case "postonly": c = c with { PostOnly = true }; break;
                case "preserve": c = c with { Preserve = true }; break;
                case "httponly": c = c with { HttpOnly = true }; break;
                case "secure": c = c with { Secure = true }; break;
                case "dynamic": c = c with { Dynamic = true }; break;
                case "domain":
                    if (l[i + 1].Length == 0) { D.Alert(at, "cookie", "'cookie' : 'domain' requires an argument."); return; }
                    domains.Add(l[++i]);
                    break;
                case "attr":
                    if (l[i + 1].Length == 0) { D.Alert(at, "cookie", "'cookie' : 'attr' requires an argument."); return; }
                    attrs.Add(l[++i]);
                    break;
                case "maxidle" or "maxlife":
                    var err = TimeParser.TryParse(l[i + 1], "cookie " + w, out var t, defaultUnitMs: 1000);
                    if (err != null) { D.Alert(at, "cookie", err); return; }
                    c = w == "maxidle" ? c with { MaxIdle = t } : c with { MaxLife = t };
                    i++;
                    break;
                default:
                    D.Alert(at, "cookie", $"'cookie' supports 'rewrite', 'insert', 'prefix', 'indirect', 'nocache', 'postonly', 'domain', 'maxidle', 'dynamic', 'maxlife' and 'attr' options (got '{w}').");
                    return;
            }
        }
        if (c.Preserve && c.Mode != CookieMode.Insert && !c.Indirect)
        { D.Alert(at, "cookie", "'cookie' : 'preserve' requires at least 'insert' or 'indirect'."); return; }
        if ((c.MaxIdle != null || c.MaxLife != null) && c.Mode != CookieMode.Insert)
            D.Warn(at, "cookie", "'cookie' : 'maxidle' and 'maxlife' are only used with 'insert' mode; ignored.");
        P = P with { Cookie = c with { Domains = domains.ToImmutableArray(), Attributes = attrs.ToImmutableArray() } };
    }
}
