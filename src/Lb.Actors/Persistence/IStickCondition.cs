using Lb.Config.Model;

namespace Lb.Actors.Persistence;

/// <summary>
/// A stick rule's 'if|unless' condition, compiled once at load. <see cref="Holds"/> gives the
/// final verdict ('unless' already applied): true means the rule applies.
/// </summary>
public interface IStickCondition
{
    bool Holds(in StickContext context);
}

/// <summary>
/// The seam through which the ACL engine (Rules/) gives stick rules their conditions: it is
/// handed to <see cref="Backends.BackendRegistry.Build"/> and asked once per conditioned rule
/// at load. Null means it cannot evaluate that condition: the rule is then left out (it never
/// applies, as if its condition were false) and a warning says so. Without a compiler every
/// conditioned stick rule is left out that way; unconditioned rules always apply.
/// </summary>
public interface IStickConditionCompiler
{
    /// <param name="proxy">the backend the rule belongs to (its named ACLs)</param>
    /// <param name="onResponse">true for 'stick store-response' (response fetches are available)</param>
    IStickCondition? Compile(Proxy proxy, Condition condition, bool onResponse);
}
