using Lb.Actors.Http;

namespace Lb.Actors.Rules.Actions;

/// <summary>allow: stops the evaluation of this proxy's rules of the same keyword.</summary>
internal sealed class AllowRule : HttpRule
{
    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome) => RuleResult.Stop;
}

/// <summary>deny, return, auth, http-response deny: answer with the reply instead of forwarding.</summary>
internal sealed class ReplyRule(HttpReply reply) : HttpRule
{
    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        var bytes = reply.Render(ctx, outcome.Connection, out bool close);
        return outcome.SetReply(bytes, close);
    }
}

/// <summary>tarpit: hold the request for 'timeout tarpit' (else 'timeout connect'), then answer the reply (500 by default).</summary>
internal sealed class TarpitRule(HttpReply reply, TimeSpan delay) : HttpRule
{
    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        var bytes = reply.Render(ctx, outcome.Connection, out bool close);
        outcome.SetReply(bytes, close);
        outcome.TarpitDelay = delay;
        return RuleResult.Tarpit;
    }
}

/// <summary>use-service NAME: a registered <see cref="IHttpService"/> answers the request.</summary>
internal sealed class UseServiceRule(IHttpService service) : HttpRule
{
    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        outcome.Service = service;
        return RuleResult.Service;
    }
}
