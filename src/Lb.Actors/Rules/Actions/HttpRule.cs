using Lb.Actors.Http;
using Lb.Actors.Rules.Conditions;
using Lb.Config.Diagnostics;

namespace Lb.Actors.Rules.Actions;

/// <summary>
/// One compiled http-request / http-response action with its condition. <see cref="Apply"/> runs
/// when the condition holds: it edits <paramref name="head"/> (the request or the response), or
/// prepares an answer in the session's <see cref="RuleOutcome"/>.
/// </summary>
public abstract class HttpRule
{
    public RequestCondition? Condition { get; internal set; }
    public SourceLocation Location { get; internal set; }

    public abstract RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome);
}

/// <summary>The rules of one keyword in one proxy, run in order until one stops or answers.</summary>
internal sealed class HttpRuleList(IReadOnlyList<HttpRule> rules)
{
    private readonly HttpRule[] _rules = rules.ToArray();

    public static readonly HttpRuleList Empty = new([]);

    public int Count => _rules.Length;

    public RuleResult Run(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        foreach (var rule in _rules)
        {
            if (rule.Condition is { } c && !c.Matches(ctx)) continue;
            var r = rule.Apply(ctx, head, outcome);
            if (r != RuleResult.Continue) return r;
        }
        return RuleResult.Continue;
    }
}
