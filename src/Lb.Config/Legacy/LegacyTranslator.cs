using System.Collections.Immutable;
using Lb.Config.Model;
using Lb.Config.Parsing;
using Lb.Config.Values;

namespace Lb.Config.Legacy;

/// <summary>
/// HAProxy 1.x keywords that 2.x rejects. Each is rewritten to its modern form and a warning
/// names that form, so the operator can update the file when convenient.
/// </summary>
internal static class LegacyTranslator
{
    private static readonly Dictionary<string, string> OldTimeouts = new(StringComparer.Ordinal)
    {
        ["contimeout"] = "connect", ["clitimeout"] = "client", ["srvtimeout"] = "server",
    };

    /// <summary>Returns true when the line was a legacy keyword (translated or reported).</summary>
    public static bool TryTranslate(ProxyBuilder b, ConfigLine l)
    {
        var kw = l.Keyword;
        if (OldTimeouts.TryGetValue(kw, out var modern))
        {
            var translated = new ConfigLine(l.Location, new[] { "timeout", modern }.Concat(l.Words.Skip(1)).ToArray());
            Warn(b, l, translated);
            b.Parse(translated);
            return true;
        }
        switch (kw)
        {
            case "redispatch":
                var opt = new ConfigLine(l.Location, new[] { "option", "redispatch" });
                Warn(b, l, opt);
                b.Parse(opt);
                return true;
            case "block":
                if (l[1] is not ("if" or "unless"))
                {
                    b.D.Alert(l.Location, kw, "'block' requires either 'if' or 'unless' followed by a condition (translated to 'http-request deny').");
                    return true;
                }
                Rewrite(b, l, new[] { "http-request", "deny" }.Concat(l.Words.Skip(1)));
                return true;
            case "reqadd" or "rspadd":
                AddHeader(b, l, kw == "reqadd" ? "http-request" : "http-response");
                return true;
            case "reqdel" or "reqidel" or "rspdel" or "rspidel":
                DelHeader(b, l, kw.StartsWith("req") ? "http-request" : "http-response", ignoreCase: kw[3] == 'i');
                return true;
            case "reqrep" or "reqirep" or "rsprep" or "rspirep":
                ReplaceHeader(b, l, kw.StartsWith("req") ? "http-request" : "http-response", ignoreCase: kw[3] == 'i');
                return true;
            case "appsession":
                AppSession.Translate(b, l);
                return true;
            case "monitor-net":
                if (!NetworkParser.IsNetwork(l[1])) { b.D.Alert(l.Location, kw, $"'monitor-net' expects a network, got '{l[1]}'."); return true; }
                Rewrite(b, l, new[] { "http-request", "return", "status", "200", "if", "{", "src", l[1], "}" });
                return true;
            case "reqallow" or "reqiallow" or "reqdeny" or "reqideny" or "reqpass" or "reqipass" or "reqtarpit"
                or "reqitarpit" or "rspdeny" or "rspideny" or "reqsetbe" or "reqisetbe":
                b.D.Alert(l.Location, kw,
                    $"The '{kw}' directive is not supported anymore since HAProxy 2.1 and Lb cannot translate it safely. Use 'http-request deny|allow|tarpit' or 'use_backend' with an ACL on the header instead (e.g. 'acl bad req.hdr(NAME) -m reg REGEX').");
                return true;
        }
        return false;
    }

    public static bool TryTranslateOption(ProxyBuilder b, ConfigLine l, int nameIndex, bool negated)
    {
        string? replacement = l[nameIndex] switch
        {
            "forceclose" => "httpclose",
            "independant-streams" => "independent-streams",
            _ => null,
        };
        if (replacement != null)
        {
            var words = l.Words.ToArray();
            words[nameIndex] = replacement;
            var translated = new ConfigLine(l.Location, words);
            Warn(b, l, translated);
            b.ParseOption(translated, nameIndex, negated);
            return true;
        }
        if (l[nameIndex] is "http-tunnel" or "http-use-htx" or "tcp-smart-connect-legacy")
        {
            b.D.Warn(l.Location, "option", $"'option {l[nameIndex]}' was removed in HAProxy 2.1 and has no effect: Lb always processes HTTP per request. Ignored.");
            return true;
        }
        return false;
    }

    /// <summary>'listen NAME ADDR:PORT' (1.x) becomes 'listen NAME' + 'bind ADDR:PORT'.</summary>
    public static void ListenAddress(ProxyBuilder b, ConfigLine header, string address)
    {
        var bind = new ConfigLine(header.Location, new[] { "bind", address });
        b.D.Warn(header.Location, "listen",
            $"'listen {header[1]} {address}' is a 1.x form: translated to 'listen {header[1]}' followed by 'bind {address}'.");
        b.Parse(bind);
    }

    private static void AddHeader(ProxyBuilder b, ConfigLine l, string rule)
    {
        var colon = l[1].IndexOf(':');
        if (colon <= 0)
        {
            b.D.Alert(l.Location, l.Keyword, $"'{l.Keyword}' expects a header line such as 'X-Name:\\ value' (got '{l[1]}').");
            return;
        }
        var name = l[1][..colon];
        var value = l[1][(colon + 1)..].TrimStart();
        Rewrite(b, l, new[] { rule, "add-header", name, value }.Concat(l.Words.Skip(2)));
    }

    private static void DelHeader(ProxyBuilder b, ConfigLine l, string rule, bool ignoreCase)
    {
        if (HeaderRegex.TrySplit(l[1], out var name, out var valueRegex) && HeaderRegex.MatchesAnything(valueRegex))
        {
            Rewrite(b, l, new[] { rule, "del-header", name }.Concat(l.Words.Skip(2)));
            return;
        }
        if (name != null)
        {
            // Only header lines whose value matches: modern form is del-header with -m reg on the value.
            var regex = (ignoreCase ? "(?i)" : "") + valueRegex;
            Rewrite(b, l, new[] { rule, "del-header", name!, "-m", "reg", regex }.Concat(l.Words.Skip(2)));
            return;
        }
        b.D.Alert(l.Location, l.Keyword, $"'{l.Keyword} {l[1]}' does not start with '^Header-Name:': cannot translate it to '{rule} del-header'.");
    }

    private static void ReplaceHeader(ProxyBuilder b, ConfigLine l, string rule, bool ignoreCase)
    {
        var search = l[1];
        var replace = l[2];
        if (search.Length == 0 || replace.Length == 0 && l.Count < 3)
        {
            b.D.Alert(l.Location, l.Keyword, $"'{l.Keyword}' expects <search> and <replace> as arguments.");
            return;
        }
        if (HeaderRegex.TrySplit(search, out var name, out var valueRegex))
        {
            var replColon = replace.IndexOf(':');
            if (replColon > 0 && string.Equals(replace[..replColon], name, StringComparison.OrdinalIgnoreCase))
            {
                // 1.x replaced only the matched part of the line: keep the unmatched tail with an extra group.
                var tailGroup = HeaderRegex.CountGroups(valueRegex) + 1;
                var regex = (ignoreCase ? "(?i)" : "") + "^" + valueRegex + "(.*)";
                var newValue = replace[(replColon + 1)..].TrimStart() + "\\" + tailGroup;
                Rewrite(b, l, new[] { rule, "replace-header", name!, regex, newValue }.Concat(l.Words.Skip(3)));
                return;
            }
        }
        b.D.Alert(l.Location, l.Keyword,
            $"'{l.Keyword} {search} {replace}' rewrites more than one header's value: Lb cannot translate it. Use '{rule} replace-header', 'replace-uri' or 'replace-path' instead.");
    }

    private static void Rewrite(ProxyBuilder b, ConfigLine l, IEnumerable<string> words)
    {
        var translated = new ConfigLine(l.Location, words.ToArray());
        Warn(b, l, translated);
        b.Parse(translated);
    }

    public static void Warn(ProxyBuilder b, ConfigLine old, ConfigLine modern) =>
        b.D.Warn(old.Location, old.Keyword,
            $"'{old.Keyword}' is a 1.x keyword (not supported since HAProxy 2.1): translated to '{Render(modern)}'.");

    /// <summary>Words joined back the way they would be written in a config file.</summary>
    public static string Render(ConfigLine l) => string.Join(' ', l.Words.Select(Quote));

    private static string Quote(string w) =>
        w.Length == 0 ? "''" : w.Any(c => c is ' ' or '\t' or '#' or '"' or '\\' or '\'') ? "'" + w.Replace("'", "'\\''") + "'" : w;
}
