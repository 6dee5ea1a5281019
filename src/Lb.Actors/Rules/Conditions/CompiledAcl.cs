using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Conditions;

/// <summary>
/// A named ACL (every 'acl NAME ...' line of the proxy, ORed) or an anonymous one, compiled: a
/// list of fetch + matcher pairs. True when any pair finds a matching sample.
/// </summary>
public sealed class CompiledAcl
{
    private readonly Fetch[] _fetches;
    private readonly Matcher[] _matchers;

    internal CompiledAcl(string name, IReadOnlyList<(Fetch Fetch, Matcher Matcher)> entries, int slot = -1)
    {
        Name = name;
        Slot = slot;
        _fetches = entries.Select(e => e.Fetch).ToArray();
        _matchers = entries.Select(e => e.Matcher).ToArray();
    }

    public string Name { get; }

    /// <summary>The fetches' scopes: an ACL only made of request fetches cannot match a response.</summary>
    public IEnumerable<FetchScope> Scopes => _fetches.Select(f => f.Scope);

    /// <summary>Where a named ACL's result is remembered in an <see cref="AclMemo"/>; -1 for an anonymous one.</summary>
    internal int Slot { get; }

    public bool Test(in RuleContext ctx)
    {
        if (ctx.Memo is not { } memo || Slot < 0) return Evaluate(ctx);
        return memo.TryGet(Slot, out bool known) ? known : memo.Set(Slot, Evaluate(ctx));
    }

    private bool Evaluate(in RuleContext ctx)
    {
        for (int i = 0; i < _fetches.Length; i++)
            if (_fetches[i].Matches(ctx, _matchers[i])) return true;
        return false;
    }
}
