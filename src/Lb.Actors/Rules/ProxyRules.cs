using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Actors.Rules.Actions;
using Lb.Config.Model;

namespace Lb.Actors.Rules;

/// <summary>
/// One proxy's HTTP rules, compiled once: its http-request rules, its stats page, its
/// 'redirect' rules (in HAProxy's order of evaluation) and its http-response rules.
/// </summary>
public sealed class ProxyRules
{
    private readonly RedirectRule[] _redirects;

    private ProxyRules(Proxy proxy, HttpRuleList request, HttpRuleList response, RedirectRule[] redirects, StatsPageService? stats)
    {
        Proxy = proxy;
        Request = request;
        Response = response;
        _redirects = redirects;
        Stats = stats;
    }

    public Proxy Proxy { get; }
    public string Name => Proxy.Name;
    internal HttpRuleList Request { get; }
    internal HttpRuleList Response { get; }
    internal StatsPageService? Stats { get; }

    /// <summary>True when the proxy has no request-side work at all (the common backend).</summary>
    internal bool NoRequestWork => Request.Count == 0 && _redirects.Length == 0 && Stats is null;

    public static ProxyRules Compile(Proxy proxy, BackendRegistry? backends, ErrorPageSet pages, List<string> warnings, Stats.StatsPage? stats = null)
    {
        var c = new RuleCompilation(proxy, backends, warnings);
        var request = HttpRuleCompiler.CompileList("http-request", c, pages);
        var response = HttpRuleCompiler.CompileList("http-response", c, pages);
        var redirects = proxy.Redirects.Select(r => HttpRuleCompiler.CompileRedirect(r, c)).OfType<RedirectRule>().ToArray();
        if (stats is null && proxy.Stats.Enabled && backends != null) stats = Lb.Actors.Stats.StatsPage.For(proxy, Lb.Actors.Stats.NodeStats.Standalone(backends));
        return new ProxyRules(proxy, request, response, redirects, stats is null ? null : new StatsPageService(stats));
    }

    /// <summary>http-request rules, then the stats URI, then the redirects.</summary>
    internal RuleResult OnRequest(in RuleContext ctx, RequestHead request, RuleOutcome outcome)
    {
        var r = Request.Run(ctx, request, outcome);
        if (r is not (RuleResult.Continue or RuleResult.Stop)) return r;
        if (Stats is { } stats && stats.Matches(request))
        {
            outcome.Service = stats;
            return RuleResult.Service;
        }
        foreach (var redirect in _redirects)
        {
            if (redirect.Condition is { } c && !c.Matches(ctx)) continue;
            var result = redirect.Apply(ctx, request, outcome);
            if (result != RuleResult.Continue) return result;
        }
        return RuleResult.Continue;
    }
}
