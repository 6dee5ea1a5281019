using Lb.Actors.Rules.Conditions;
using Lb.Config.Model;

namespace Lb.Actors.Rules;

/// <summary>
/// 'tcp-request connection accept|reject [if|unless COND]', evaluated when a connection is
/// accepted, before anything is read (so only connection fetches: src, dst, ports...). The first
/// rule whose condition holds decides; without one the connection is accepted.
/// </summary>
internal sealed class ConnectionRules
{
    private readonly (bool Accept, RequestCondition? Condition)[] _rules;

    private ConnectionRules((bool, RequestCondition?)[] rules) => _rules = rules;

    public static ConnectionRules? Compile(RuleCompilation c)
    {
        var list = new List<(bool, RequestCondition?)>();
        foreach (var r in c.Proxy.RulesOf("tcp-request").Where(r => r.Stage == "connection"))
        {
            if (r.Action is not ("accept" or "reject"))
            {
                // track-sc*, expect-proxy... belong to other features.
                continue;
            }
            list.Add((r.Action == "accept", c.Compile(r.Condition, RuleStage.Connection, r.Location, "tcp-request connection rule")));
        }
        return list.Count == 0 ? null : new ConnectionRules(list.ToArray());
    }

    public bool Accepts(in RuleContext ctx)
    {
        foreach (var (accept, condition) in _rules)
            if (condition is null || condition.Matches(ctx)) return accept;
        return true;
    }
}
