using System.Collections.Immutable;
using Lb.Config.Diagnostics;

namespace Lb.Config.Model;

public enum StickTableType { Ip, Ipv6, Integer, String, Binary }

/// <summary>'stick-table type T [len N] size S [expire E] [nopurge] [peers P] [store D,...]'.</summary>
public sealed record StickTable(
    StickTableType Type,
    int KeyLength,
    long Size,
    TimeSpan? Expire,
    bool NoPurge,
    string? Peers,
    ImmutableArray<string> Store,
    SourceLocation Location);

public enum StickRuleKind { On, Match, StoreRequest, StoreResponse }

/// <summary>'stick on|match|store-request|store-response PATTERN [table T] [if|unless COND]'.</summary>
public sealed record StickRule(StickRuleKind Kind, string Pattern, string? Table, Condition? Condition, SourceLocation Location);
