using System.Collections.Immutable;

namespace Lb.Config.Model;

/// <summary>The 'stats ...' keywords of a proxy (the stats page).</summary>
public sealed record StatsSettings
{
    public bool Enabled { get; init; }
    public string Uri { get; init; } = "/haproxy?stats";
    public string Realm { get; init; } = "HAProxy Statistics";
    public ImmutableArray<string> Auth { get; init; } = ImmutableArray<string>.Empty;
    public TimeSpan? Refresh { get; init; }
    public bool HideVersion { get; init; }
    public bool ShowLegends { get; init; }
    public bool ShowNode { get; init; }
    public string? NodeName { get; init; }
    public string? ShowDesc { get; init; }
    /// <summary>'stats scope NAME': the proxies the page shows ('.' is the proxy itself); empty: all.</summary>
    public ImmutableArray<string> Scopes { get; init; } = ImmutableArray<string>.Empty;
    public ImmutableArray<Condition> AdminConditions { get; init; } = ImmutableArray<Condition>.Empty;
    public ImmutableArray<ActionRule> HttpRequestRules { get; init; } = ImmutableArray<ActionRule>.Empty;
}

/// <summary>'stats socket ADDR [mode M] [level L] [user U] [group G] [expose-fd listeners]' in global.</summary>
public sealed record StatsSocket(
    Lb.Config.Values.Endpoint Address,
    ImmutableDictionary<string, string> Options,
    Lb.Config.Diagnostics.SourceLocation Location)
{
    public string Level => Options.GetValueOrDefault("level", "operator");
    public string? Mode => Options.GetValueOrDefault("mode");
}
