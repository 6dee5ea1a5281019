using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lb.Actors.Http;
using Lb.Actors.Rules.Matching;
using Lb.Config.Model;

namespace Lb.Actors.Rules.Actions;

/// <summary>
/// Turns the model's 'http-request' / 'http-response' rules and 'redirect' lines into compiled
/// rules. Actions Lb does not implement are reported once and skipped; other features add theirs
/// with <see cref="Register"/> (the stick-table feature: track-sc0...).
/// </summary>
public static class HttpRuleCompiler
{
    /// <summary>Builds the rule of an action (without its condition, which the compiler adds); null to skip it.</summary>
    public delegate HttpRule? Factory(ActionRule rule, RuleCompilation compilation);

    private static readonly ConcurrentDictionary<string, Factory> Extensions = new(StringComparer.Ordinal);

    /// <summary>Adds an action for 'http-request' and 'http-response' (keyed "http-request track-sc0", ...).</summary>
    public static void Register(string keyword, string action, Factory factory) => Extensions[keyword + " " + action] = factory;

    internal static HttpRuleList CompileList(string keyword, RuleCompilation c, ErrorPageSet pages)
    {
        var stage = keyword == "http-response" ? RuleStage.Response : RuleStage.Request;
        var list = new List<HttpRule>();
        foreach (var rule in c.Proxy.RulesOf(keyword))
        {
            var compiled = Compile(rule, c, pages, stage);
            if (compiled is null) continue;
            compiled.Condition = c.Compile(rule.Condition, stage, rule.Location, $"{(c.Proxy.IsFrontend ? "frontend" : "backend")} {keyword} rule");
            compiled.Location = rule.Location;
            list.Add(compiled);
        }
        return list.Count == 0 ? HttpRuleList.Empty : new HttpRuleList(list);
    }

    internal static RedirectRule? CompileRedirect(Redirect r, RuleCompilation c)
    {
        var rule = new RedirectRule(r.Kind, c.Format(r.Target, r.Location), r.Code, r.Options)
        {
            Condition = c.Compile(r.Condition, RuleStage.Request, r.Location, "redirect rule"),
            Location = r.Location,
        };
        return rule;
    }

    private static HttpRule? Compile(ActionRule rule, RuleCompilation c, ErrorPageSet pages, RuleStage stage)
    {
        var action = BaseName(rule.Action);
        if (Extensions.TryGetValue(rule.Keyword + " " + action, out var ext)) return ext(rule, c);
        var a = rule.Args;
        bool response = stage == RuleStage.Response;
        try
        {
            switch (action)
            {
                case "allow":
                    return new AllowRule();
                case "deny":
                    return new ReplyRule(ReplySpec.Parse(rule, c).Build(rule, c, pages, response ? 502 : 403, errorPageByDefault: true));
                case "tarpit":
                    var t = c.Proxy.Timeouts;
                    return new TarpitRule(ReplySpec.Parse(rule, c).Build(rule, c, pages, 500, errorPageByDefault: true), t.Tarpit ?? t.Connect ?? TimeSpan.Zero);
                case "return":
                    return new ReplyRule(ReplySpec.Parse(rule, c).Build(rule, c, pages, 200, errorPageByDefault: false));
                case "auth":
                    var realm = a.Length >= 2 && a[0] == "realm" ? a[1] : c.Proxy.Name;
                    return new ReplyRule(new ErrorPageReply(401, pages, Encoding.Latin1.GetBytes($"www-authenticate: Basic realm=\"{realm}\"\r\n")));
                case "redirect":
                    return RedirectFromArgs(rule, c);
                case "set-header" or "add-header":
                    return new SetHeaderRule(a[0], c.Format(a[1], rule.Location), add: action == "add-header");
                case "del-header":
                    return DelHeader(rule, c);
                case "replace-header" or "replace-value":
                    return new ReplaceHeaderRule(a[0], RegexReplacement.Compile(a[1]), c.Format(a[2], rule.Location), perValue: action == "replace-value");
                case "set-path" when !response: return new SetUriRule(UriPart.Path, c.Format(a[0], rule.Location));
                case "set-pathq" when !response: return new SetUriRule(UriPart.PathQuery, c.Format(a[0], rule.Location));
                case "set-query" when !response: return new SetUriRule(UriPart.Query, c.Format(a[0], rule.Location));
                case "set-uri" when !response: return new SetUriRule(UriPart.Uri, c.Format(a[0], rule.Location));
                case "set-method" when !response: return new SetUriRule(UriPart.Method, c.Format(a[0], rule.Location));
                case "replace-path" when !response: return new ReplaceUriRule(UriPart.Path, RegexReplacement.Compile(a[0]), c.Format(a[1], rule.Location));
                case "replace-pathq" when !response: return new ReplaceUriRule(UriPart.PathQuery, RegexReplacement.Compile(a[0]), c.Format(a[1], rule.Location));
                case "replace-uri" when !response: return new ReplaceUriRule(UriPart.Uri, RegexReplacement.Compile(a[0]), c.Format(a[1], rule.Location));
                case "set-status" when response:
                    if (!int.TryParse(a[0], NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status is < 100 or > 999)
                    {
                        c.Warn(rule.Location, $"'http-response set-status': invalid status code '{a[0]}': rule ignored.");
                        return null;
                    }
                    var reason = a.Length >= 3 && a[1] == "reason" ? a[2] : StatusReasons.Get(status);
                    return new SetStatusRule(status, Encoding.Latin1.GetBytes(reason));
                case "use-service" when !response:
                    var service = HttpServices.Create(a[0], c.Proxy, c.Backends);
                    if (service is null)
                    {
                        c.Warn(rule.Location, $"'http-request use-service {a[0]}': no such service in Lb: rule ignored.");
                        return null;
                    }
                    return new UseServiceRule(service);
            }
        }
        catch (ArgumentException e)
        {
            c.Warn(rule.Location, $"'{rule}': {e.Message}: rule ignored.");
            return null;
        }
        catch (IndexOutOfRangeException)
        {
            c.Warn(rule.Location, $"'{rule}': missing argument: rule ignored.");
            return null;
        }
        c.Warn(rule.Location, $"'{rule.Keyword} {rule.Action}' is not supported by Lb yet: rule ignored.");
        return null;
    }

    private static string BaseName(string action)
    {
        int paren = action.IndexOf('(');
        return paren < 0 ? action : action[..paren];
    }

    private static HttpRule? RedirectFromArgs(ActionRule rule, RuleCompilation c)
    {
        var a = rule.Args;
        RedirectKind? kind = a[0] switch { "location" => RedirectKind.Location, "prefix" => RedirectKind.Prefix, "scheme" => RedirectKind.Scheme, _ => null };
        if (kind is null) { c.Warn(rule.Location, $"'{rule.Keyword} redirect' expects 'location', 'prefix' or 'scheme' (got '{a[0]}'): rule ignored."); return null; }
        int code = 302;
        var options = new List<string>();
        for (int i = 2; i < a.Length; i++)
        {
            switch (a[i])
            {
                case "code" when i + 1 < a.Length && int.TryParse(a[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is 301 or 302 or 303 or 307 or 308:
                    code = n; i++; break;
                case "drop-query" or "append-slash" or "ignore-empty":
                    options.Add(a[i]); break;
                case "set-cookie" or "clear-cookie" when i + 1 < a.Length:
                    options.Add($"{a[i]} {a[++i]}"); break;
                default:
                    c.Warn(rule.Location, $"'{rule.Keyword} redirect': unexpected argument '{a[i]}': rule ignored.");
                    return null;
            }
        }
        return new RedirectRule(kind.Value, c.Format(a[1], rule.Location), code, options);
    }

    private static HttpRule DelHeader(ActionRule rule, RuleCompilation c)
    {
        var a = rule.Args;
        var method = MatchMethod.Str;
        if (a.Length >= 3 && a[1] == "-m" && !MatchMethods.TryParse(a[2], out method))
            throw new ArgumentException($"unknown matching method '{a[2]}'");
        if (method is not (MatchMethod.Str or MatchMethod.Beg or MatchMethod.End or MatchMethod.Sub or MatchMethod.Reg))
            throw new ArgumentException($"matching method '{a[2]}' is not supported by del-header (str, beg, end, sub or reg)");
        // The legacy reqdel translation adds a value regex after '-m reg': the name is then literal.
        Regex? valueRegex = null;
        if (a.Length >= 4 && method == MatchMethod.Reg)
        {
            valueRegex = RegexReplacement.Compile(a[3]);
            method = MatchMethod.Str;
        }
        if (method == MatchMethod.Str) return new DelHeaderRule(a[0], valueRegex);
        var name = MatcherFactory.Create(method, [a[0]], ignoreCase: method != MatchMethod.Reg, out var error)
            ?? throw new ArgumentException(error ?? "invalid header name");
        if (method == MatchMethod.Reg) name = new RegexMatcher([RegexMatcher.Compile(a[0], ignoreCase: true)]);
        return new DelHeaderRule(name, valueRegex);
    }
}
