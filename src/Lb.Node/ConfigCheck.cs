using Lb.Config;
using Lb.Config.Model;

namespace Lb.Node;

/// <summary>Loads the configuration and reports every finding the way haproxy does.</summary>
public static class ConfigCheck
{
    /// <summary>
    /// Prints each diagnostic to stderr. Returns the model, or null after printing
    /// "Fatal errors found in configuration." when there were alerts.
    /// </summary>
    public static LbConfig? Load(IEnumerable<string> paths, NodeConsole console, out bool hadWarnings, Func<string, string?>? env = null)
    {
        var result = ConfigLoader.Load(paths, env);
        foreach (var d in result.Diagnostics)
            console.Report(d);
        hadWarnings = result.Warnings.Any();
        if (result.Config is null || result.Alerts.Any())
        {
            console.ConfigAlert("Fatal errors found in configuration.");
            return null;
        }
        return result.Config;
    }

    /// <summary>
    /// The -c mode: exit code 0 when the configuration is usable (warnings allowed, announced
    /// with "Warnings were found." as haproxy does), 1 when it has alerts.
    /// </summary>
    public static int Run(IEnumerable<string> paths, NodeConsole console, Func<string, string?>? env = null)
    {
        if (Load(paths, console, out var hadWarnings, env) is not { } config)
            return 1;
        // What the rules engine cannot honour (the same warnings a started node logs).
        foreach (var w in Lb.Actors.Rules.RuleCheck.Warnings(config))
        {
            console.ConfigWarning(w);
            hadWarnings = true;
        }
        if (hadWarnings)
            console.Out.WriteLine("Warnings were found.");
        console.Out.WriteLine("Configuration file is valid");
        return 0;
    }
}
