using System.Net;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Actors.Rules.Actions;
using Lb.Config.Model;

namespace Lb.Actors.Rules;

/// <summary>
/// Everything a frontend decides per request, compiled once at load: monitor-uri, its own
/// http-request rules / stats / redirects, the use_backend rules and default_backend, and the
/// tcp-request connection rules. The backends' own rules come from the shared
/// <see cref="RuleBook"/>. Sessions evaluate it through an <see cref="HttpRuleSession"/>.
/// </summary>
public sealed class FrontendRules
{
    private readonly SwitchRule[] _switches;
    private readonly ConnectionRules? _connectionRules;
    private readonly List<string> _warnings = new();

    public FrontendRules(Proxy config, BackendRegistry backends, ErrorPageSet pages, Stats.StatsPage? stats = null)
    {
        Book = RuleBook.For(backends);
        OwnBackend = config.IsBackend ? backends.Find(config.Name) : null;
        // A listen section is its own backend: its rules are compiled once, in the book.
        Own = OwnBackend is { } own && Book.RulesOf(own) is { } shared ? shared : ProxyRules.Compile(config, backends, pages, _warnings, stats);
        var c = new RuleCompilation(config, backends, _warnings);
        var switches = new List<SwitchRule>();
        foreach (var u in config.UseBackends)
        {
            var condition = c.Compile(u.Condition, RuleStage.Request, u.Location, "switching rule");
            if (u.Backend.Contains('%'))
            {
                switches.Add(new SwitchRule(null, c.Format(u.Backend, u.Location, late: true), condition));
                continue;
            }
            if (backends.Find(u.Backend) is not { } target)
            {
                c.Warn(u.Location, $"use_backend: no such backend '{u.Backend}': rule ignored.");
                continue;
            }
            switches.Add(new SwitchRule(target, null, condition));
        }
        _switches = switches.ToArray();
        SwitchAclCount = c.NamedAclCount;
        DefaultBackend = (config.DefaultBackend is { } name ? backends.Find(name) : null) ?? OwnBackend;
        if (config.MonitorUri is { } uri)
        {
            MonitorUri = Encoding.Latin1.GetBytes(uri);
            MonitorReply = new ErrorPageReply(200, pages);
        }
        _connectionRules = ConnectionRules.Compile(c);
    }

    internal RuleBook Book { get; }

    /// <summary>Named ACLs the use_backend rules use (sessions memoize them per request).</summary>
    internal int SwitchAclCount { get; }
    internal ProxyRules Own { get; }
    internal byte[]? MonitorUri { get; }
    internal ErrorPageReply? MonitorReply { get; }

    /// <summary>The listen section's own backend, or null for a frontend.</summary>
    public BackendHandle? OwnBackend { get; }

    /// <summary>default_backend, else the listen section itself.</summary>
    public BackendHandle? DefaultBackend { get; }

    /// <summary>What compiling this frontend's rules found wrong or unsupported (the backends' are in the book).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public HttpRuleSession NewSession(FrontendRuntime? frontend, IPEndPoint client, IPEndPoint? local) => new(this, frontend, client, local);

    /// <summary>The first use_backend whose condition holds, else the default backend.</summary>
    public BackendHandle? SelectBackend(in RuleContext ctx)
    {
        foreach (var s in _switches)
        {
            if (s.Condition is { } c && !c.Matches(ctx)) continue;
            if (s.TryResolve(ctx, Book, out var backend)) return backend;
            break; // a dynamic name that names no backend: the default backend, as HAProxy
        }
        return DefaultBackend;
    }

    /// <summary>mode tcp: the backend for a new connection (conditions see only the addresses).</summary>
    public BackendHandle? SelectTcpBackend(FrontendRuntime? frontend, IPEndPoint? client, IPEndPoint? local) =>
        _switches.Length == 0 ? DefaultBackend : SelectBackend(new RuleContext(client, local, frontend: frontend, backend: OwnBackend));

    /// <summary>tcp-request connection accept/reject for a new connection.</summary>
    public bool AcceptsConnection(FrontendRuntime? frontend, IPEndPoint? client, IPEndPoint? local) =>
        _connectionRules is null || _connectionRules.Accepts(new RuleContext(client, local, frontend: frontend, backend: OwnBackend));
}
