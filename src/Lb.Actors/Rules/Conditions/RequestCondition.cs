namespace Lb.Actors.Rules.Conditions;

/// <summary>
/// A compiled 'if|unless' condition: OR of AND groups of (possibly negated) ACLs, evaluated left
/// to right with short-circuit, as HAProxy does. Built once at load by <see cref="RuleCompilation"/>;
/// <see cref="Matches"/> allocates nothing. Other features (stick rules, use-server...) compile
/// their model <c>Condition</c> with <see cref="RuleCompilation.Compile(Lb.Config.Model.Condition?, RuleStage, Lb.Config.Diagnostics.SourceLocation, string)"/>
/// and call <see cref="Matches"/> per request.
/// </summary>
public sealed class RequestCondition
{
    private readonly bool _unless;
    private readonly Term[][] _anyOf;

    internal RequestCondition(bool unless, Term[][] anyOf)
    {
        _unless = unless;
        _anyOf = anyOf;
    }

    /// <summary>A condition that always holds ('if TRUE').</summary>
    public static RequestCondition Always { get; } = new(unless: true, []);

    public bool Matches(in RuleContext ctx)
    {
        bool result = false;
        foreach (var group in _anyOf)
        {
            bool all = true;
            foreach (var t in group)
            {
                if (t.Acl.Test(ctx) == t.Negated) { all = false; break; }
            }
            if (all) { result = true; break; }
        }
        return _unless ? !result : result;
    }

    internal readonly record struct Term(CompiledAcl Acl, bool Negated);
}
