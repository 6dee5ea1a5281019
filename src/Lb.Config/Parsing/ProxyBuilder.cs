using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Keywords;
using Lb.Config.Model;

namespace Lb.Config.Parsing;

/// <summary>
/// Accumulates one defaults, frontend, backend or listen section. A proxy starts as a copy of
/// the defaults section it inherits from; each line is dispatched through <see cref="ProxyKeywords"/>.
/// Collections are mutable here and frozen by <see cref="Build"/>.
/// </summary>
internal sealed partial class ProxyBuilder : ISectionParser
{
    public readonly DiagnosticBag D;
    public Proxy P;
    public string? DefaultsName;
    public bool IsNamedDefaults => P.Kind == SectionKind.Defaults && DefaultsName != null;

    public List<Bind> Binds = new();
    public List<Server> Servers = new();
    public List<AclDefinition> Acls = new();
    public HashSet<string> AclNames = new(StringComparer.Ordinal);
    public List<ActionRule> Rules = new();
    public List<BackendSwitch> UseBackends = new();
    public List<ServerSwitch> UseServers = new();
    public List<Redirect> Redirects = new();
    public List<StickRule> StickRules = new();
    public List<LogTarget> Logs = new();
    public List<Directive> Other = new();
    public HashSet<string> Options = new(StringComparer.Ordinal);
    public Dictionary<string, ImmutableArray<string>> OptionArgs = new(StringComparer.Ordinal);
    public Dictionary<int, string> ErrorFiles = new();
    public List<HttpCheckExpect> CheckExpects = new();
    public List<KeyValuePair<string, string>> CheckHeaders = new();
    public List<ActionRule> StatsRules = new();
    public List<Condition> StatsAdmin = new();
    public List<string> StatsAuth = new();

    private ProxyBuilder(DiagnosticBag diags, Proxy proxy)
    {
        D = diags;
        P = proxy;
    }

    public static ProxyBuilder EmptyDefaults(DiagnosticBag diags) =>
        new(diags, new Proxy { Kind = SectionKind.Defaults, Name = "" });

    public ProxyBuilder DeriveDefaults(string? name, SourceLocation at)
    {
        var b = CopyWith(P with { Kind = SectionKind.Defaults, Name = name ?? "", Location = at });
        b.DefaultsName = name;
        return b;
    }

    public ProxyBuilder DeriveProxy(SectionKind kind, string name, SourceLocation at)
    {
        var b = CopyWith(P with { Kind = kind, Name = name, Location = at, DefaultsName = DefaultsName });
        return b;
    }

    // Everything a defaults section may hold is inherited; sections cannot hold binds or servers.
    private ProxyBuilder CopyWith(Proxy proxy) => new(D, proxy)
    {
        Acls = new(Acls),
        AclNames = new(AclNames, StringComparer.Ordinal),
        Rules = new(Rules),
        Logs = new(Logs),
        Other = new(Other),
        Options = new(Options, StringComparer.Ordinal),
        OptionArgs = new(OptionArgs, StringComparer.Ordinal),
        ErrorFiles = new(ErrorFiles),
        CheckExpects = new(CheckExpects),
        CheckHeaders = new(CheckHeaders),
        StatsRules = new(StatsRules),
        StatsAdmin = new(StatsAdmin),
        StatsAuth = new(StatsAuth),
    };

    public string Describe() => P.Kind switch
    {
        SectionKind.Defaults => DefaultsName is null ? "anonymous 'defaults' section" : $"defaults section '{DefaultsName}'",
        _ => $"{P.Kind.ToString().ToLowerInvariant()} '{P.Name}'",
    };

    private Cap Here => P.Kind switch
    {
        SectionKind.Defaults => Cap.Defaults,
        SectionKind.Frontend => Cap.Frontend,
        SectionKind.Backend => Cap.Backend,
        _ => Cap.FB,
    };

    public void Parse(ConfigLine line)
    {
        var kw = line.Keyword;
        if (kw == "no" || kw == "default")
        {
            if (line[1] == "option") { ParseOption(line, 2, negated: kw == "no"); return; }
            if (kw == "no" && line[1] == "log") { Logs.Clear(); P = P with { LogGlobal = false }; return; }
            D.Alert(line.Location, kw, $"'{kw}' is only supported before 'option' and 'log' (got '{line[1]}').");
            return;
        }
        if (!ProxyKeywords.Table.TryGetValue(kw, out var spec))
        {
            if (Legacy.LegacyTranslator.TryTranslate(this, line)) return;
            D.Alert(line.Location, kw, $"unknown keyword '{kw}' in '{SectionWord}' section{Suggest.DidYouMean(kw, ProxyKeywords.Table.Keys)}");
            return;
        }
        if (!Allowed(line, spec.Caps)) return;
        spec.Handler(this, line);
    }

    private string SectionWord => P.Kind.ToString().ToLowerInvariant();

    /// <summary>HAProxy's capability checks: alerts for defaults, warnings for a missing side.</summary>
    public bool Allowed(ConfigLine line, Cap caps)
    {
        var kw = line.Keyword == "option" ? $"option {line[1]}" : line.Keyword is "no" or "default" && line[1] == "option" ? $"option {line[2]}" : line.Keyword;
        if (P.Kind == SectionKind.Defaults)
        {
            if ((caps & Cap.Defaults) != 0) return true;
            if ((caps & Cap.NamedDefaults) != 0 && IsNamedDefaults) return true;
            D.Alert(line.Location, line.Keyword, (caps & Cap.NamedDefaults) != 0
                ? $"'{kw}' not allowed in anonymous 'defaults' section."
                : $"'{kw}' not allowed in 'defaults' section.");
            return false;
        }
        var here = Here;
        if ((caps & here) != 0) return true;
        var missing = (here & Cap.Frontend) != 0 ? "backend" : "frontend";
        if (line.Keyword == "server" || line.Keyword == "default-server")
        {
            D.Alert(line.Location, line.Keyword, $"'{kw}' not allowed because {Describe()} has no {missing} capability.");
            return false;
        }
        D.Warn(line.Location, line.Keyword, $"'{kw}' ignored because {Describe()} has no {missing} capability.");
        return false;
    }

    public void KeepDirective(ConfigLine line) => Other.Add(new Directive(line.Words.ToImmutableArray(), line.Location));

    public Proxy Build() => P with
    {
        Binds = Binds.ToImmutableArray(),
        Servers = Servers.ToImmutableArray(),
        Acls = Acls.ToImmutableArray(),
        Rules = Rules.ToImmutableArray(),
        UseBackends = UseBackends.ToImmutableArray(),
        UseServers = UseServers.ToImmutableArray(),
        Redirects = Redirects.ToImmutableArray(),
        StickRules = StickRules.ToImmutableArray(),
        Logs = Logs.ToImmutableArray(),
        OtherDirectives = Other.ToImmutableArray(),
        Options = Options.ToImmutableHashSet(StringComparer.Ordinal),
        OptionArgs = OptionArgs.ToImmutableDictionary(StringComparer.Ordinal),
        ErrorFiles = ErrorFiles.ToImmutableDictionary(),
        HttpCheck = P.HttpCheck with { Expects = CheckExpects.ToImmutableArray(), Headers = CheckHeaders.ToImmutableArray() },
        Stats = P.Stats with
        {
            HttpRequestRules = StatsRules.ToImmutableArray(),
            AdminConditions = StatsAdmin.ToImmutableArray(),
            Auth = StatsAuth.ToImmutableArray(),
        },
    };
}
