using System.Net;
using Lb.Actors.Persistence;
using Lb.Actors.Rules.Conditions;
using Lb.Config.Model;

namespace Lb.Actors.Rules;

/// <summary>
/// Gives stick rules ('stick on ... if COND') their conditions through the ACL engine: one
/// <see cref="RuleCompilation"/> per backend, so a named ACL is compiled once for all its rules.
/// Conditions are compiled while the backends are being built, so backend-state fetches
/// (nbsrv, be_conn) are not available to them; the engine warns about those.
/// </summary>
public sealed class StickConditionCompiler : IStickConditionCompiler
{
    private readonly Dictionary<Proxy, RuleCompilation> _byProxy = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _warnings;

    public StickConditionCompiler(List<string> warnings) => _warnings = warnings;

    public IStickCondition? Compile(Proxy proxy, Condition condition, bool onResponse)
    {
        if (!_byProxy.TryGetValue(proxy, out var compilation))
            _byProxy[proxy] = compilation = new RuleCompilation(proxy, null, _warnings);
        var at = proxy.StickRules.FirstOrDefault(r => ReferenceEquals(r.Condition, condition))?.Location ?? proxy.Location;
        var compiled = compilation.Compile(condition, onResponse ? RuleStage.Response : RuleStage.Request, at, "stick rule");
        return compiled is null ? null : new StickCondition(compiled);
    }

    private sealed class StickCondition(RequestCondition condition) : IStickCondition
    {
        public bool Holds(in StickContext context)
        {
            var client = context.Client ?? (context.Source is { } a ? new IPEndPoint(a, 0) : null);
            return condition.Matches(new RuleContext(client, context.Destination, context.Request, context.Response));
        }
    }
}
