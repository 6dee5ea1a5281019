using System.Net;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Actors.Rules.Actions;

namespace Lb.Actors.Rules;

/// <summary>
/// The rules as one client connection runs them, in HAProxy's order. For a request: monitor-uri,
/// the frontend's http-request rules, its stats URI, its redirects, then use_backend /
/// default_backend, then the chosen backend's http-request rules, stats and redirects. For a
/// response: the backend's http-response rules, then the frontend's. One per connection; the
/// per-request path allocates nothing unless a rule builds a response.
/// </summary>
public sealed class HttpRuleSession
{
    private readonly FrontendRules _rules;
    private readonly FrontendRuntime? _frontend;
    private readonly IPEndPoint _client;
    private readonly IPEndPoint? _local;
    private ProxyRules? _backendRules;
    private readonly Conditions.AclMemo _memo;

    internal HttpRuleSession(FrontendRules rules, FrontendRuntime? frontend, IPEndPoint client, IPEndPoint? local)
    {
        _rules = rules;
        _frontend = frontend;
        _client = client;
        _local = local;
        _memo = new Conditions.AclMemo(rules.SwitchAclCount);
    }

    /// <summary>The answer prepared by the last rule that answered.</summary>
    public RuleOutcome Outcome { get; } = new();

    /// <summary>The backend the request goes to (null: none, the session answers 503).</summary>
    public BackendHandle? Backend { get; private set; }

    /// <param name="replyConnection">the Connection header a generated response must carry</param>
    public RuleResult OnRequest(RequestHead request, ConnectionHeader replyConnection)
    {
        Outcome.Reset(replyConnection);
        Backend = null;
        _backendRules = null;
        var ctx = new RuleContext(_client, _local, request, null, _frontend, _rules.OwnBackend);
        if (_rules.MonitorUri is { } monitor && request.Target.SequenceEqual(monitor))
        {
            var bytes = _rules.MonitorReply!.Render(ctx, replyConnection, out bool close);
            return Outcome.SetReply(bytes, close);
        }
        var r = _rules.Own.OnRequest(ctx, request, Outcome);
        if (r is not (RuleResult.Continue or RuleResult.Stop)) return r;
        _memo.Reset();
        var backend = _rules.SelectBackend(ctx.WithMemo(_memo));
        if (backend is null) return RuleResult.Continue;
        var backendRules = _rules.Book.RulesOf(backend);
        if (backendRules != null && !ReferenceEquals(backendRules, _rules.Own) && !backendRules.NoRequestWork)
        {
            r = backendRules.OnRequest(ctx.WithBackend(backend), request, Outcome);
            if (r is not (RuleResult.Continue or RuleResult.Stop)) return r;
        }
        Backend = backend;
        _backendRules = backendRules;
        return RuleResult.Continue;
    }

    /// <summary>Runs the http-response rules on <paramref name="response"/>: Continue (maybe edited) or Reply.</summary>
    public RuleResult OnResponse(ResponseHead response, ConnectionHeader replyConnection)
    {
        var own = _rules.Own;
        var be = _backendRules is { } b && !ReferenceEquals(b, own) ? b : null;
        if (own.Response.Count == 0 && (be is null || be.Response.Count == 0)) return RuleResult.Continue;
        Outcome.Reset(replyConnection);
        // The request is gone from HAProxy's buffers by now: request fetches find nothing here either.
        var ctx = new RuleContext(_client, _local, null, response, _frontend, Backend);
        if (be != null)
        {
            var r = be.Response.Run(ctx, response, Outcome);
            if (r == RuleResult.Reply) return r;
        }
        var f = own.Response.Run(ctx, response, Outcome);
        return f == RuleResult.Reply ? f : RuleResult.Continue;
    }
}
