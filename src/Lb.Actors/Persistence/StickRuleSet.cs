using System.Collections.Immutable;
using Lb.Actors.Backends;
using Lb.Config.Model;

namespace Lb.Actors.Persistence;

/// <summary>
/// A backend's stick rules, compiled once at load: the request-side rules ('on', 'match',
/// 'store-request') and the response-side ones ('store-response') in config order, and the
/// backend's servers by id, since a table stores the id ('server_id') of the server a key sticks
/// to. Rules Lb cannot run (an unsupported fetch, a condition nobody can evaluate, a missing
/// table) are left out, each with a warning.
/// </summary>
public sealed class StickRuleSet
{
    private readonly ServerRuntime?[] _byId;
    private readonly bool[] _nonStick;
    private readonly bool _persist;

    private StickRuleSet(CompiledStickRule[] request, CompiledStickRule[] response, ImmutableArray<ServerRuntime> servers, bool persist)
    {
        RequestRules = request;
        ResponseRules = response;
        int maxId = servers.IsEmpty ? 0 : servers.Max(s => s.Id);
        _byId = new ServerRuntime?[maxId + 1];
        _nonStick = new bool[maxId + 1];
        foreach (var s in servers)
        {
            if (s.Id <= 0) continue;
            _byId[s.Id] ??= s;
            _nonStick[s.Id] = s.Config.OtherOptions.ContainsKey("non-stick");
        }
        _persist = persist;
        MaxKeySize = request.Concat(response).Select(r => r.Table.Definition.KeySize).DefaultIfEmpty(0).Max();
    }

    internal CompiledStickRule[] RequestRules { get; }
    internal CompiledStickRule[] ResponseRules { get; }

    /// <summary>The longest key any rule's table takes (sessions size their buffers by it).</summary>
    public int MaxKeySize { get; }

    /// <summary>
    /// The server an entry sends a request to: its stored server of this backend when that
    /// server can take traffic (up, or draining / NOLB: not DOWN nor in maintenance), or at any
    /// rate with 'option persist'. Null otherwise: the request is balanced.
    /// </summary>
    internal ServerRuntime? Target(int serverId, BackendSnapshot snapshot)
    {
        if ((uint)serverId >= (uint)_byId.Length || _byId[serverId] is not { EndPoint: not null } server) return null;
        return _persist || CanTakePersistentTraffic(server, snapshot) ? server : null;
    }

    /// <summary>'non-stick' servers are never stored.</summary>
    internal bool IsNonStick(ServerRuntime server) => (uint)server.Id < (uint)_nonStick.Length && _nonStick[server.Id];

    private static bool CanTakePersistentTraffic(ServerRuntime s, BackendSnapshot snapshot)
    {
        if (snapshot.Active.Contains(s) || snapshot.Backups.Contains(s)) return true;
        var status = s.Health.Status;
        return status.StartsWith("NOLB", StringComparison.Ordinal) || status == "DRAIN";
    }

    /// <summary>The compiled rules of <paramref name="backend"/>, or null when it has none.</summary>
    /// <param name="warnings">receives one line per rule left out</param>
    public static StickRuleSet? Build(Proxy backend, ImmutableArray<ServerRuntime> servers, StickTableRegistry tables,
        IStickConditionCompiler? conditions = null, ICollection<string>? warnings = null)
    {
        if (backend.StickRules.IsEmpty) return null;
        var request = new List<CompiledStickRule>();
        var response = new List<CompiledStickRule>();
        foreach (var rule in backend.StickRules)
        {
            bool onResponse = rule.Kind == StickRuleKind.StoreResponse;
            string Describe(string why) =>
                $"backend '{backend.Name}': 'stick {KindWord(rule.Kind)} {rule.Pattern}' ({rule.Location}) is ignored: {why}.";
            var table = tables.Find(rule.Table ?? backend.Name);
            if (table is null) { warnings?.Add(Describe($"no stick-table '{rule.Table ?? backend.Name}'")); continue; }
            var fetch = StickFetch.Parse(rule.Pattern, onResponse, out var error);
            if (fetch is null) { warnings?.Add(Describe(error!)); continue; }
            IStickCondition? condition = null;
            if (rule.Condition is { } c)
            {
                condition = conditions?.Compile(backend, c, onResponse);
                if (condition is null) { warnings?.Add(Describe($"its condition '{c}' cannot be evaluated yet")); continue; }
            }
            bool match = rule.Kind is StickRuleKind.On or StickRuleKind.Match;
            bool store = rule.Kind != StickRuleKind.Match;
            (onResponse ? response : request).Add(new CompiledStickRule(match, store, fetch, table, condition));
        }
        if (request.Count == 0 && response.Count == 0) return null;
        return new StickRuleSet(request.ToArray(), response.ToArray(), servers, backend.HasOption("persist"));
    }

    private static string KindWord(StickRuleKind kind) => kind switch
    {
        StickRuleKind.On => "on",
        StickRuleKind.Match => "match",
        StickRuleKind.StoreRequest => "store-request",
        _ => "store-response",
    };
}
