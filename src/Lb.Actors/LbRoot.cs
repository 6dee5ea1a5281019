using Akka.Actor;
using Akka.Event;
using Lb.Config.Model;

namespace Lb.Actors;

/// <summary>
/// The node's top-level actor, /user/lb. It holds the loaded configuration; the frontends,
/// backends, stats and admin children hang under it as they are written. It does not proxy
/// traffic yet, and says so instead of pretending.
/// </summary>
public sealed class LbRoot : ReceiveActor
{
    public const string Name = "lb";

    /// <summary>Asks for the configuration this node runs; the reply is the <see cref="LbConfig"/>.</summary>
    public sealed record GetConfig
    {
        public static readonly GetConfig Instance = new();
    }

    private readonly LbConfig _config;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LbRoot(LbConfig config)
    {
        _config = config;
        Receive<GetConfig>(_ => Sender.Tell(_config));
    }

    public static Props Props(LbConfig config) => Akka.Actor.Props.Create(() => new LbRoot(config));

    protected override void PreStart()
    {
        foreach (var line in Describe(_config))
            _log.Info(line);
    }

    /// <summary>What the node would serve, one line each; the last one states what is missing.</summary>
    public static IEnumerable<string> Describe(LbConfig config)
    {
        foreach (var p in config.Frontends)
        {
            var binds = p.Binds.SelectMany(b => b.Endpoints).Select(e => e.Text).ToList();
            yield return $"{p.Kind.ToString().ToLowerInvariant()} '{p.Name}' would listen on {(binds.Count == 0 ? "(no bind)" : string.Join(", ", binds))}";
        }
        int frontends = config.Frontends.Count(), backends = config.Backends.Count();
        yield return $"loaded {frontends} frontends, {backends} backends; traffic proxying is not implemented yet";
    }
}
