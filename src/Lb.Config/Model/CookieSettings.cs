using System.Collections.Immutable;

namespace Lb.Config.Model;

/// <summary>Passive: no mode given — the server sets the cookie, Lb only reads it.</summary>
public enum CookieMode { Passive, Insert, Rewrite, Prefix }

/// <summary>'cookie NAME [rewrite|insert|prefix] [indirect] [nocache] ...'.</summary>
public sealed record CookieSettings
{
    public string Name { get; init; } = "";
    public CookieMode Mode { get; init; }
    public bool Indirect { get; init; }
    public bool NoCache { get; init; }
    public bool PostOnly { get; init; }
    public bool Preserve { get; init; }
    public bool HttpOnly { get; init; }
    public bool Secure { get; init; }
    public bool Dynamic { get; init; }
    public ImmutableArray<string> Domains { get; init; } = ImmutableArray<string>.Empty;
    public ImmutableArray<string> Attributes { get; init; } = ImmutableArray<string>.Empty;
    public TimeSpan? MaxIdle { get; init; }
    public TimeSpan? MaxLife { get; init; }
}
