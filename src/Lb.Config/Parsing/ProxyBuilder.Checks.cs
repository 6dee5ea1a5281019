using Lb.Config.Values;
using Lb.Config.Model;

namespace Lb.Config.Parsing;

/// <summary>'option httpchk' arguments and the 'http-check' keyword.</summary>
internal sealed partial class ProxyBuilder
{
    // option httpchk | httpchk URI | httpchk METH URI | httpchk METH URI VERSION
    private void ApplyHttpChk(ConfigLine l, System.Collections.Immutable.ImmutableArray<string> args)
    {
        var hc = P.HttpCheck with { Enabled = true };
        switch (args.Length)
        {
            case 1: hc = hc with { Uri = args[0] }; break;
            case 2: hc = hc with { Method = args[0], Uri = args[1] }; break;
            case 3: hc = hc with { Method = args[0], Uri = args[1], Version = args[2] }; break;
        }
        // The 1.x trick: "HTTP/1.1\r\nHost:\ www.example.com" hides headers in the version.
        var crlf = hc.Version.IndexOf("\r\n", StringComparison.Ordinal);
        if (crlf >= 0)
        {
            var extra = hc.Version[(crlf + 2)..];
            hc = hc with { Version = hc.Version[..crlf] };
            var modern = new List<string>();
            foreach (var raw in extra.Split("\r\n"))
            {
                if (raw.Length == 0) continue;
                var colon = raw.IndexOf(':');
                if (colon <= 0)
                {
                    D.Alert(l.Location, "option", $"'option httpchk' : malformed header '{raw}' after the version.");
                    continue;
                }
                var name = raw[..colon].Trim();
                var value = raw[(colon + 1)..].Trim();
                CheckHeaders.Add(new(name, value));
                modern.Add($"hdr {name} {Quote(value)}");
            }
            D.Warn(l.Location, "option",
                $"'option httpchk' : headers hidden in the version string are a 1.x form; translated to 'http-check send {string.Join(' ', modern)}'.");
        }
        P = P with { HttpCheck = hc };
    }

    private static string Quote(string s) => s.Any(char.IsWhiteSpace) || s.Length == 0 ? $"\"{s}\"" : s;

    public void ParseHttpCheck(ConfigLine l)
    {
        var at = l.Location;
        switch (l[1])
        {
            case "disable-on-404": P = P with { HttpCheck = P.HttpCheck with { DisableOn404 = true } }; break;
            case "send-state": P = P with { HttpCheck = P.HttpCheck with { SendState = true } }; break;
            case "send": ParseHttpCheckSend(l); break;
            case "expect": ParseHttpCheckExpect(l); break;
            case "connect" or "comment" or "set-var" or "set-var-fmt" or "unset-var":
                KeepDirective(l);
                break;
            default:
                D.Alert(at, "http-check", $"'http-check' only supports 'comment', 'connect', 'disable-on-404', 'expect', 'send', 'send-state', 'set-var' and 'unset-var' (got '{l[1]}').");
                break;
        }
    }

    private void ParseHttpCheckSend(ConfigLine l)
    {
        var hc = P.HttpCheck;
        for (int i = 2; i < l.Count; i++)
        {
            var w = l[i];
            int need = w == "hdr" ? 2 : 1;
            if (w is not ("meth" or "uri" or "uri-lf" or "ver" or "hdr" or "body" or "body-lf" or "comment"))
            {
                D.Alert(l.Location, "http-check", $"'http-check send' only supports 'comment', 'meth', 'uri', 'uri-lf', 'ver', 'hdr', 'body' and 'body-lf' (got '{w}').");
                return;
            }
            if (i + need >= l.Count)
            {
                D.Alert(l.Location, "http-check", $"'http-check send' : '{w}' expects {(need == 2 ? "<name> and <value>" : "an argument")}.");
                return;
            }
            switch (w)
            {
                case "meth": hc = hc with { Method = l[i + 1] }; break;
                case "uri" or "uri-lf": hc = hc with { Uri = l[i + 1] }; break;
                case "ver": hc = hc with { Version = l[i + 1] }; break;
                case "body" or "body-lf": hc = hc with { Body = l[i + 1] }; break;
                case "hdr": CheckHeaders.Add(new(l[i + 1], l[i + 2])); break;
            }
            i += need;
        }
        P = P with { HttpCheck = hc };
    }

    private static readonly string[] ExpectMatchers = { "status", "rstatus", "string", "rstring", "hdr", "fhdr", "custom" };

    private void ParseHttpCheckExpect(ConfigLine l)
    {
        int i = 2;
        // optional parameters before the matcher
        while (l[i] is "min-recv" or "comment" or "ok-status" or "error-status" or "tout-status" or "on-success" or "on-error" or "status-code")
            i += 2;
        bool negated = false;
        if (l[i] == "!") { negated = true; i++; }
        var matcher = l[i];
        if (Array.IndexOf(ExpectMatchers, matcher) < 0)
        {
            D.Alert(l.Location, "http-check", $"'http-check expect' : unknown pattern type '{matcher}' (expects 'status', 'rstatus', 'string', 'rstring', 'hdr' or 'fhdr').");
            return;
        }
        var pattern = string.Join(' ', l.Words.Skip(i + 1));
        if (pattern.Length == 0)
        {
            D.Alert(l.Location, "http-check", $"'http-check expect {matcher}' expects <pattern> as an argument.");
            return;
        }
        if (matcher is "rstatus" or "rstring" && !RegexCheck.IsValid(l[i + 1], out var err))
        {
            D.Alert(l.Location, "http-check", $"'http-check expect {matcher}' : invalid regex '{l[i + 1]}' : {err}");
            return;
        }
        CheckExpects.Add(new HttpCheckExpect(negated, matcher, pattern, l.Location));
    }
}
