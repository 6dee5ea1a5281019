using Lb.Config.Parsing;
using Lb.Config.Values;

namespace Lb.Config.Legacy;

/// <summary>
/// 'appsession COOKIE len N timeout T [request-learn] [prefix] [mode path-parameters|query-string]'
/// (removed in HAProxy 1.6) becomes a string stick table keyed on that cookie: the server's
/// Set-Cookie value is learned from responses and matched on later requests.
/// </summary>
internal static class AppSession
{
    public static void Translate(ProxyBuilder b, ConfigLine l)
    {
        var at = l.Location;
        var cookie = l[1];
        string? len = null, timeout = null, mode = "path-parameters";
        bool requestLearn = false;
        if (cookie.Length == 0) { b.D.Alert(at, "appsession", "'appsession' expects a cookie name."); return; }
        for (int i = 2; i < l.Count; i++)
        {
            switch (l[i])
            {
                case "len": len = l[++i]; break;
                case "timeout": timeout = l[++i]; break;
                case "request-learn": requestLearn = true; break;
                case "prefix": break;
                case "mode": mode = l[++i]; break;
                default:
                    b.D.Alert(at, "appsession", $"'appsession' : unknown option '{l[i]}' (expects len, timeout, request-learn, prefix, mode).");
                    return;
            }
        }
        if (len is null || !IntParser.TryParseInRange(len, 1, 65535, out _))
        { b.D.Alert(at, "appsession", $"'appsession' expects 'len <length>' with a positive length (got '{len}')."); return; }
        if (timeout is null) { b.D.Alert(at, "appsession", "'appsession' expects 'timeout <holdtime>'."); return; }
        var terr = TimeParser.TryParse(timeout, "appsession timeout", out _);
        if (terr != null) { b.D.Alert(at, "appsession", terr); return; }
        if (mode is not ("path-parameters" or "query-string"))
        { b.D.Alert(at, "appsession", $"'appsession' : unknown mode '{mode}' (path-parameters or query-string)."); return; }

        var lines = new List<string[]>();
        if (b.P.StickTable is null)
            lines.Add(new[] { "stick-table", "type", "string", "len", len, "size", "100k", "expire", timeout });
        lines.Add(new[] { "stick", "store-response", $"res.cook({cookie})" });
        if (requestLearn) lines.Add(new[] { "stick", "store-request", $"req.cook({cookie})" });
        lines.Add(new[] { "stick", "match", $"req.cook({cookie})" });
        lines.Add(new[] { "stick", "match", mode == "query-string" ? $"url_param({cookie})" : $"url_param({cookie},;)" });

        b.D.Warn(at, "appsession",
            $"'appsession' was removed in HAProxy 1.6: translated to '{string.Join("', '", lines.Select(w => string.Join(' ', w)))}'.");
        foreach (var words in lines) b.Parse(new ConfigLine(at, words));
    }
}
