using System.Collections.Immutable;
using Lb.Config.Diagnostics;

namespace Lb.Config.Model;

/// <summary>
/// A frontend, backend or listen section after 'defaults' were applied: everything the runtime
/// needs, immutable. Options are kept as the set of enabled names ("redispatch", "httplog", ...)
/// plus typed settings where they have arguments.
/// </summary>
public sealed record Proxy
{
    public string Name { get; init; } = "";
    public SectionKind Kind { get; init; }
    public SourceLocation Location { get; init; }
    public string? DefaultsName { get; init; }
    public ProxyCapability Capability => Kind switch
    {
        SectionKind.Frontend => ProxyCapability.Frontend,
        SectionKind.Backend => ProxyCapability.Backend,
        SectionKind.Listen => ProxyCapability.Listen,
        _ => ProxyCapability.None,
    };
    public bool IsFrontend => (Capability & ProxyCapability.Frontend) != 0;
    public bool IsBackend => (Capability & ProxyCapability.Backend) != 0;

    public ProxyMode Mode { get; init; } = ProxyMode.Tcp;
    public bool Disabled { get; init; }
    public int? Id { get; init; }
    public string? Description { get; init; }

    // frontend side
    public ImmutableArray<Bind> Binds { get; init; } = ImmutableArray<Bind>.Empty;
    public int? MaxConn { get; init; }
    public int? RateLimitSessions { get; init; }
    public string? DefaultBackend { get; init; }
    public SourceLocation? DefaultBackendLocation { get; init; }
    public ImmutableArray<BackendSwitch> UseBackends { get; init; } = ImmutableArray<BackendSwitch>.Empty;
    public ImmutableArray<Redirect> Redirects { get; init; } = ImmutableArray<Redirect>.Empty;
    public string? MonitorUri { get; init; }
    public string? LogFormat { get; init; }
    public bool LogGlobal { get; init; }
    public ImmutableArray<LogTarget> Logs { get; init; } = ImmutableArray<LogTarget>.Empty;

    // backend side
    public ImmutableArray<Server> Servers { get; init; } = ImmutableArray<Server>.Empty;
    public Server DefaultServer { get; init; } = new();
    public Balance Balance { get; init; } = Balance.Default;
    public HashType HashType { get; init; } = HashType.Default;
    public CookieSettings? Cookie { get; init; }
    public HttpCheckSettings HttpCheck { get; init; } = new();
    public int Retries { get; init; } = 3;
    public int? FullConn { get; init; }
    public StickTable? StickTable { get; init; }
    public ImmutableArray<StickRule> StickRules { get; init; } = ImmutableArray<StickRule>.Empty;
    public ImmutableArray<ServerSwitch> UseServers { get; init; } = ImmutableArray<ServerSwitch>.Empty;

    // both
    public Timeouts Timeouts { get; init; } = new();
    public ImmutableHashSet<string> Options { get; init; } = ImmutableHashSet<string>.Empty;
    public ImmutableDictionary<string, ImmutableArray<string>> OptionArgs { get; init; } = ImmutableDictionary<string, ImmutableArray<string>>.Empty;
    public ImmutableArray<AclDefinition> Acls { get; init; } = ImmutableArray<AclDefinition>.Empty;
    public ImmutableArray<ActionRule> Rules { get; init; } = ImmutableArray<ActionRule>.Empty;
    public StatsSettings Stats { get; init; } = new();
    public ImmutableDictionary<int, string> ErrorFiles { get; init; } = ImmutableDictionary<int, string>.Empty;
    public ImmutableArray<Directive> OtherDirectives { get; init; } = ImmutableArray<Directive>.Empty;

    public bool HasOption(string name) => Options.Contains(name);

    /// <summary>Arguments of 'option NAME ARGS...' (e.g. forwardfor's "header X-Real-IP").</summary>
    public ImmutableArray<string> ArgsOf(string option) => OptionArgs.GetValueOrDefault(option, ImmutableArray<string>.Empty);

    public IEnumerable<ActionRule> RulesOf(string keyword) => Rules.Where(r => r.Keyword == keyword);

    public Server? FindServer(string name) => Servers.FirstOrDefault(s => s.Name == name);
}
