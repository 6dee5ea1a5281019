using Lb.Actors.Backends;
using Lb.Actors.Rules.Conditions;
using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;
using Lb.Actors.Rules.Patterns;
using Lb.Config.Diagnostics;
using Lb.Config.Model;

namespace Lb.Actors.Rules;

/// <summary>
/// Compiles the ACLs, conditions and formats of one proxy, once, at load: fetches resolved,
/// patterns parsed (pattern files read, regexes compiled), named ACLs shared by every rule that
/// uses them. What Lb cannot honour becomes a warning (in HAProxy's "parsing [file:line]" shape)
/// and the part concerned never matches; nothing here throws on bad input.
/// </summary>
public sealed class RuleCompilation
{
    private readonly Dictionary<string, CompiledAcl?> _named = new(StringComparer.Ordinal);
    private readonly List<string> _warnings;

    public RuleCompilation(Proxy proxy, BackendRegistry? backends, List<string>? warnings = null)
    {
        Proxy = proxy;
        Backends = backends;
        _warnings = warnings ?? new List<string>();
    }

    public Proxy Proxy { get; }
    public BackendRegistry? Backends { get; }
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>How many named ACLs were compiled (the size of an <see cref="AclMemo"/> for them).</summary>
    public int NamedAclCount => _named.Count;

    public void Warn(SourceLocation? at, string message) =>
        _warnings.Add(at is { } l ? $"parsing [{l}] : {message}" : $"{Proxy.Name}: {message}");

    /// <summary>
    /// Compiles an 'if|unless' condition for <paramref name="stage"/>; null when there is none
    /// (the rule always applies). <paramref name="what"/> names the rule in warnings.
    /// </summary>
    public RequestCondition? Compile(Condition? condition, RuleStage stage, SourceLocation at, string what)
    {
        if (condition is null) return null;
        var groups = new List<RequestCondition.Term[]>();
        foreach (var group in condition.AnyOf)
        {
            var terms = new List<RequestCondition.Term>();
            foreach (var term in group)
            {
                var acl = term.Anonymous is { } anon ? Anonymous(anon) : Named(term.Name!, at);
                acl ??= new CompiledAcl(term.Name ?? "anonymous", []);
                CheckScope(acl, term.Name, stage, at, what);
                terms.Add(new RequestCondition.Term(acl, term.Negated));
            }
            groups.Add(terms.ToArray());
        }
        return new RequestCondition(condition.Unless, groups.ToArray());
    }

    /// <summary>Compiles a log-format argument; unsupported parts are warned about and written as '-'.</summary>
    /// <paramref name="late"/>: haproxy parses this format after the configuration (use_backend
    /// names), so map files it loads first are numbered after the others.
    public LogFormat Format(string text, SourceLocation at, bool late = false)
    {
        var errors = new List<string>();
        var format = LogFormat.Parse(text, Backends, errors, at, late);
        foreach (var e in errors) Warn(at, e);
        return format;
    }

    /// <summary>Every 'acl NAME' line of the proxy, ORed; a predefined ACL when the proxy has none.</summary>
    public CompiledAcl? Named(string name, SourceLocation? usedAt = null)
    {
        if (_named.TryGetValue(name, out var cached)) return cached;
        var entries = new List<(Fetch, Matcher)>();
        var lines = Proxy.Acls.Where(a => a.Name == name).ToList();
        if (lines.Count > 0)
        {
            foreach (var def in lines) AddEntry(def, entries);
        }
        else if (PredefinedAcls.All.TryGetValue(name, out var predefined))
        {
            AddEntry(new AclDefinition(name, predefined.Criterion, [], [.. predefined.Patterns], usedAt ?? Proxy.Location), entries, predefined: true);
        }
        else
        {
            Warn(usedAt, $"ACL '{name}' is not supported by Lb (or not declared in '{Proxy.Name}'): it never matches.");
        }
        var acl = new CompiledAcl(name, entries, slot: _named.Count);
        _named[name] = acl;
        return acl;
    }

    public CompiledAcl Anonymous(AclDefinition def)
    {
        var entries = new List<(Fetch, Matcher)>();
        AddEntry(def, entries);
        return new CompiledAcl("anonymous", entries);
    }

    private void AddEntry(AclDefinition def, List<(Fetch, Matcher)> entries, bool predefined = false)
    {
        var label = def.Name.Length == 0 ? "anonymous acl" : $"acl '{def.Name}'";
        var fetch = FetchCatalog.Create(def.Criterion, Backends, out var implied, out var error, def.Location);
        if (fetch is null)
        {
            Warn(def.Location, $"{label}: {error}: it never matches.");
            return;
        }
        MatchMethod method;
        if (def.MatchMethod is { } m)
        {
            if (!MatchMethods.TryParse(m, out method)) { Warn(def.Location, $"{label}: unknown matching method '{m}': it never matches."); return; }
        }
        else method = implied ?? DefaultMethod(fetch.Kind, def.Patterns.Length > 0 || !def.PatternFiles.IsEmpty);

        // Predefined ACLs are compiled as they are; the others read their patterns from pattern
        // references (files first, as haproxy creates them, then the line's own), which the
        // runtime API can change.
        Matcher? matcher;
        string? patternError;
        if (predefined)
        {
            matcher = MatcherFactory.Create(method, def.Patterns, def.IgnoreCase, out patternError);
        }
        else
        {
            var store = PatternStore.For(Backends);
            var refs = new List<(PatternReference, bool)>();
            // haproxy applies '-i' to the files after it on the line only, and to the inline patterns.
            bool ignoreCase = false;
            for (int i = 0; i < def.Flags.Length; i++)
            {
                if (def.Flags[i] == "-i") ignoreCase = true;
                else if (def.Flags[i] is "-m" or "-u") i++;
                else if (def.Flags[i] == "-f" && i + 1 < def.Flags.Length)
                {
                    var file = def.Flags[++i];
                    if (store.AclFile(file, def.Location, out var fileError) is { } r) refs.Add((r, ignoreCase));
                    else Warn(def.Location, $"{label}: {fileError}");
                }
            }
            var fetchName = FetchExpression.Parse(def.Criterion, out _)?.Name ?? def.Criterion;
            IReadOnlyList<string> inline = method is MatchMethod.Int or MatchMethod.Len ? IntRange.Normalize(def.Patterns) : def.Patterns;
            refs.Insert(0, (store.Inline(fetchName, def.Location, inline), def.IgnoreCase));
            if (refs.Sum(r => r.Item1.Live.Length) == 0 && method is not (MatchMethod.Found or MatchMethod.Bool) && def.PatternFiles.IsEmpty)
                Warn(def.Location, $"{label}: no pattern to match against were provided, so this ACL will never match.");
            var live = LiveMatcher.Create(method, refs.ToArray(), out patternError);
            if (live != null) store.Attach(live, refs.Select(r => r.Item1));
            matcher = live;
        }
        if (matcher is null)
        {
            Warn(def.Location, $"{label}: {patternError}: it never matches.");
            return;
        }
        entries.Add((fetch, matcher));
    }

    private static MatchMethod DefaultMethod(SampleKind kind, bool hasPatterns) => kind switch
    {
        SampleKind.Bool => hasPatterns ? MatchMethod.Int : MatchMethod.Bool,
        SampleKind.Int => MatchMethod.Int,
        SampleKind.Ip => MatchMethod.Ip,
        SampleKind.Method => MatchMethod.Meth,
        _ => MatchMethod.Str,
    };

    private void CheckScope(CompiledAcl acl, string? name, RuleStage stage, SourceLocation at, string what)
    {
        var scopes = acl.Scopes.ToList();
        if (scopes.Count == 0) return;
        var incompatible = stage switch
        {
            RuleStage.Response => FetchScope.Request,
            RuleStage.Request => FetchScope.Response,
            _ => FetchScope.Response,
        };
        if (scopes.All(s => s == incompatible))
            Warn(at, $"{(name is null ? "anonymous acl" : $"acl '{name}'")} will never match because it only involves keywords that are incompatible with '{what}'.");
    }
}
