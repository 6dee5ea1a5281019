using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Keywords;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>ACLs, conditions, redirects and the http-/tcp- action rules.</summary>
internal sealed partial class ProxyBuilder
{
    private static readonly string[] MatchMethods = { "str", "beg", "end", "sub", "reg", "dom", "dir", "len", "found", "int", "ip", "bin", "bool" };

    public void ParseAcl(ConfigLine l)
    {
        var name = l[1];
        if (name.Length == 0 || l[2].Length == 0)
        {
            D.Alert(l.Location, "acl", "'acl' expects an ACL name and a criterion.");
            return;
        }
        if (!ProxyNames.IsValid(name, out var bad))
        {
            D.Alert(l.Location, "acl", $"character '{bad}' is not permitted in acl name '{name}'.");
            return;
        }
        var acl = ParseAclBody(l, 2, name, $"error detected while parsing ACL '{name}'");
        if (acl != null)
        {
            Acls.Add(acl);
            AclNames.Add(acl.Name);
        }
    }

    /// <summary>CRITERION [FLAGS] [VALUES...] from words[start..]; shared with anonymous ACLs.</summary>
    private AclDefinition? ParseAclBody(ConfigLine l, int start, string name, string context, int end = -1)
    {
        if (end < 0) end = l.Count;
        var criterion = l[start];
        if (!Fetches.IsKnown(criterion))
        {
            D.Alert(l.Location, "acl", $"{context} : unknown fetch method '{Fetches.BaseName(criterion)}' in ACL expression '{criterion}'.");
            return null;
        }
        var flags = new List<string>();
        string? matchMethod = null;
        int i = start + 1;
        while (i < end && l[i].StartsWith('-') && l[i].Length > 1)
        {
            var f = l[i];
            if (f == "--") { i++; break; }
            if (f is "-i" or "-n" or "-M") { flags.Add(f); i++; continue; }
            if (f is "-m" or "-f" or "-u")
            {
                if (i + 1 >= end) { D.Alert(l.Location, "acl", $"{context} : missing argument after '{f}'."); return null; }
                if (f == "-m" && Array.IndexOf(MatchMethods, l[i + 1]) < 0)
                {
                    D.Alert(l.Location, "acl", $"{context} : unknown matching method '{l[i + 1]}' after '-m'.");
                    return null;
                }
                if (f == "-m") matchMethod = l[i + 1];
                if (f == "-f" && !File.Exists(l[i + 1]))
                {
                    D.Alert(l.Location, "acl", $"{context} : failed to open pattern file <{l[i + 1]}>.");
                    return null;
                }
                flags.Add(f);
                flags.Add(l[i + 1]);
                i += 2;
                continue;
            }
            break; // a negative number or a pattern that starts with '-'
        }
        var patterns = l.Words[i..end].ToImmutableArray();
        var isRegex = Fetches.BaseName(criterion).EndsWith("_reg") || matchMethod == "reg";
        if (isRegex)
        {
            foreach (var p in patterns)
            {
                if (!RegexCheck.IsValid(p, out var err))
                {
                    D.Alert(l.Location, "acl", $"{context} : regex '{p}' is invalid: {err}");
                    return null;
                }
            }
        }
        return new AclDefinition(name, criterion, flags.ToImmutableArray(), patterns, l.Location);
    }

    /// <summary>Parses 'if|unless TERMS' starting at word i. Alerts and returns null on error.</summary>
    public Condition? ParseCondition(ConfigLine l, int i, string context)
    {
        var kw = l[i];
        if (kw is not ("if" or "unless"))
        {
            D.Alert(l.Location, l.Keyword, $"error detected while parsing {context} : expects 'if' or 'unless' followed by a condition, got '{kw}'.");
            return null;
        }
        var groups = new List<ImmutableArray<AclTerm>>();
        var current = new List<AclTerm>();
        for (i++; i < l.Count; i++)
        {
            var w = l[i];
            if (w is "||" or "or")
            {
                if (current.Count == 0) { D.Alert(l.Location, l.Keyword, $"error detected while parsing {context} : missing condition before '{w}'."); return null; }
                groups.Add(current.ToImmutableArray());
                current = new List<AclTerm>();
                continue;
            }
            bool negated = false;
            while (w.StartsWith('!'))
            {
                negated = !negated;
                w = w[1..];
                if (w.Length == 0) { i++; w = l[i]; }
            }
            if (w == "{")
            {
                int close = Array.IndexOf(l.Words, "}", i + 1);
                if (close < 0) { D.Alert(l.Location, l.Keyword, $"error detected while parsing {context} : missing closing '}}' in condition."); return null; }
                if (close == i + 1) { D.Alert(l.Location, l.Keyword, $"error detected while parsing {context} : empty anonymous ACL."); return null; }
                var anon = ParseAclBody(l, i + 1, "", $"error detected while parsing {context}", close);
                if (anon is null) return null;
                current.Add(new AclTerm(negated, null, anon));
                i = close;
                continue;
            }
            if (w.Length == 0) { D.Alert(l.Location, l.Keyword, $"error detected while parsing {context} : missing ACL name after '!'."); return null; }
            if (!Fetches.PredefinedAcls.Contains(w) && !AclNames.Contains(w))
            {
                D.Alert(l.Location, l.Keyword, $"error detected while parsing {context} : no such ACL : '{w}'.");
                return null;
            }
            current.Add(new AclTerm(negated, w, null));
        }
        if (current.Count == 0)
        {
            D.Alert(l.Location, l.Keyword, $"error detected while parsing {context} : no condition found after '{kw}'.");
            return null;
        }
        groups.Add(current.ToImmutableArray());
        return new Condition(kw == "unless", groups.ToImmutableArray());
    }

    /// <summary>Index of the first 'if'/'unless' at or after start, or the word count.</summary>
    private static int ConditionStart(ConfigLine l, int start)
    {
        for (int i = start; i < l.Count; i++)
            if (l[i] is "if" or "unless") return i;
        return l.Count;
    }

    public void ParseActionRule(ConfigLine l)
    {
        var kw = l.Keyword;
        var action = l[1];
        if (action.Length == 0 || action is "if" or "unless")
        {
            D.Alert(l.Location, kw, $"'{kw}' expects an action.");
            return;
        }
        AddActionRule(l, kw, null, action, 2);
    }

    public void ParseTcpRule(ConfigLine l)
    {
        var kw = l.Keyword;
        var stage = l[1];
        if (stage == "inspect-delay")
        {
            var err = TimeParser.TryParse(l[2], $"{kw} inspect-delay", out _);
            if (err != null) { D.Alert(l.Location, kw, err); return; }
            KeepDirective(l);
            return;
        }
        var stages = kw == "tcp-request" ? new[] { "connection", "session", "content" } : new[] { "content" };
        if (Array.IndexOf(stages, stage) < 0)
        {
            D.Alert(l.Location, kw, $"'{kw}' expects 'inspect-delay' or {string.Join(", ", stages.Select(s => $"'{s}'"))} (got '{stage}').");
            return;
        }
        if (l[2].Length == 0) { D.Alert(l.Location, kw, $"'{kw} {stage}' expects an action."); return; }
        AddActionRule(l, kw, stage, l[2], 3);
    }

    private void AddActionRule(ConfigLine l, string kw, string? stage, string action, int argStart)
    {
        var full = stage is null ? kw : $"{kw} {stage}";
        var baseName = Fetches.BaseName(action);
        if (!RuleActions.IsKnown(kw, baseName))
        {
            D.Alert(l.Location, kw, $"'{full}' : unknown action '{action}'{Suggest.OrPeriod(baseName, RuleActions.For(kw))}");
            return;
        }
        int condAt = ConditionStart(l, argStart);
        var args = l.Words[argStart..condAt].ToImmutableArray();
        var argErr = RuleActions.CheckArgs(baseName, args);
        if (argErr != null) { D.Alert(l.Location, kw, $"'{full} {action}' {argErr}"); return; }
        Condition? cond = null;
        if (condAt < l.Count)
        {
            cond = ParseCondition(l, condAt, $"an '{full} {action}' condition");
            if (cond is null) return;
        }
        Rules.Add(new ActionRule(kw, stage, action, args, cond, l.Location));
    }

    public void ParseRedirect(ConfigLine l)
    {
        var r = ParseRedirectArgs(l, 1, "redirect");
        if (r != null) Redirects.Add(r);
    }

    internal Redirect? ParseRedirectArgs(ConfigLine l, int i, string what)
    {
        RedirectKind? kind = l[i] switch { "location" => RedirectKind.Location, "prefix" => RedirectKind.Prefix, "scheme" => RedirectKind.Scheme, _ => null };
        if (kind is null || l[i + 1].Length == 0 || l[i + 1] is "if" or "unless")
        {
            D.Alert(l.Location, l.Keyword, $"'{what}' expects 'location', 'prefix' or 'scheme' followed by a target (got '{l[i]}').");
            return null;
        }
        var target = l[i + 1];
        int code = 302;
        var options = new List<string>();
        for (i += 2; i < l.Count && l[i] is not ("if" or "unless"); i++)
        {
            switch (l[i])
            {
                case "code":
                    if (!IntParser.TryParse(l[i + 1], out code) || code is not (301 or 302 or 303 or 307 or 308))
                    {
                        D.Alert(l.Location, l.Keyword, $"'{what}': unsupported HTTP code '{l[i + 1]}' (must be one of 301, 302, 303, 307 or 308).");
                        return null;
                    }
                    i++;
                    break;
                case "drop-query" or "append-slash" or "ignore-empty":
                    options.Add(l[i]);
                    break;
                case "set-cookie" or "clear-cookie":
                    if (l[i + 1].Length == 0) { D.Alert(l.Location, l.Keyword, $"'{what}': '{l[i]}' expects a cookie name."); return null; }
                    options.Add($"{l[i]} {l[i + 1]}");
                    i++;
                    break;
                default:
                    D.Alert(l.Location, l.Keyword, $"'{what}' expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query' or 'append-slash' (got '{l[i]}').");
                    return null;
            }
        }
        Condition? cond = null;
        if (i < l.Count)
        {
            cond = ParseCondition(l, i, $"'{what}' rule");
            if (cond is null) return null;
        }
        return new Redirect(kind.Value, target, code, options.ToImmutableArray(), cond, l.Location);
    }
}
