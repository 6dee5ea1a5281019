using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Config.Model;

namespace Lb.Actors.Rules;

/// <summary>For 'Lb.Node -c': compiles every proxy's rules without starting anything and returns
/// what the compilation reports (unsupported fetches, actions, bad patterns...).</summary>
public static class RuleCheck
{
    public static IReadOnlyList<string> Warnings(LbConfig config)
    {
        var warnings = new List<string>();
        var backends = BackendRegistry.Build(config, _ => null, new StickConditionCompiler(warnings)); // no DNS for a check
        warnings.AddRange(backends.Warnings);
        warnings.AddRange(RuleBook.For(backends).Warnings);
        foreach (var fe in config.Frontends.Where(f => !f.Disabled))
            warnings.AddRange(new FrontendRules(fe, backends, ErrorPageSet.For(fe)).Warnings);
        return warnings;
    }
}
