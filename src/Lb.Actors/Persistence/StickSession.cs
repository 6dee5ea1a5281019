using Lb.Actors.Backends;

namespace Lb.Actors.Persistence;

/// <summary>
/// Runs a backend's stick rules for one client connection, request after request, as HAProxy's
/// sticking-rule and store-rule analysers do:
/// - before balancing, each request-side rule in order (skipped when a store for its table is
///   already pending): its condition, its key; 'match'/'on' look the key up and, unless a server
///   is already assigned (by the persistence cookie or an earlier rule), send the request to
///   the entry's server if it can take it; a found entry is touched either way. 'store-request'/
///   'on' make room for the key in the table and keep it pending, at most 8 per request.
/// - on the response head, 'store-response' rules add their keys (one per table besides the
///   request's), then every pending key is stored with the server that actually answered
///   (after a redispatch, the new one). In tcp mode that happens once the server is connected.
/// One instance per connection, used by one thread at a time; its buffers are reused, so a
/// request allocates nothing here unless a new key enters a table.
/// </summary>
public sealed class StickSession
{
    private const int MaxStores = 8; // HAProxy's per-stream store slots

    private readonly IStickTable?[] _tables = new IStickTable?[MaxStores];
    private readonly byte[][] _keys = new byte[MaxStores][];
    private readonly int[] _lengths = new int[MaxStores];
    private readonly long[] _queueKeys = new long[MaxStores];
    private readonly byte[] _scratch;
    private int _count;
    private System.Net.IPAddress? _source;
    private System.Net.IPEndPoint? _destination;

    public StickSession(StickRuleSet rules)
    {
        Rules = rules;
        _scratch = new byte[Math.Max(rules.MaxKeySize, 16)];
    }

    public StickRuleSet Rules { get; }

    /// <summary>Keys waiting for the server that will answer.</summary>
    public int PendingStores => _count;

    /// <summary>
    /// The request-side rules. Returns the server the request must go to: <paramref name="assigned"/>
    /// when persistence already chose one, else the server a matching entry designates, else null
    /// (balance it).
    /// </summary>
    public ServerRuntime? OnRequest(in StickContext context, BackendSnapshot snapshot, ServerRuntime? assigned)
    {
        _count = 0;
        _source = context.Source;
        _destination = context.Destination;
        foreach (var rule in Rules.RequestRules)
        {
            if (rule.Store && IsPending(rule.Table, 0)) continue;
            if (rule.Condition is { } condition && !condition.Holds(context)) continue;
            int length = rule.Fetch.TryKey(context, rule.Table.Definition, _scratch);
            if (length < 0) continue;
            var key = _scratch.AsSpan(0, length);
            if (rule.Match && rule.Table.TryLookup(key, out var entry))
            {
                assigned ??= Rules.Target(entry.ServerId, snapshot);
                rule.Table.Touch(entry);
            }
            if (rule.Store) AddPending(rule.Table, key);
        }
        return assigned;
    }

    /// <summary>The response-side rules, then stores every pending key with <paramref name="server"/>.</summary>
    public void OnResponse(in StickContext context, ServerRuntime? server)
    {
        int fromRequest = _count;
        foreach (var rule in Rules.ResponseRules)
        {
            if (IsPending(rule.Table, fromRequest)) continue;
            if (rule.Condition is { } condition && !condition.Holds(context)) continue;
            int length = rule.Fetch.TryKey(context, rule.Table.Definition, _scratch);
            if (length < 0) continue;
            AddPending(rule.Table, _scratch.AsSpan(0, length));
        }
        Commit(server);
    }

    /// <summary>
    /// tcp mode: the server is connected, which is when haproxy runs the response-side rules
    /// (with the connection's addresses only) and stores.
    /// </summary>
    public void OnConnected(ServerRuntime? server) => OnResponse(new StickContext { Source = _source, Destination = _destination }, server);

    /// <summary>Stores the pending keys with the server that took the connection (none: they are dropped).</summary>
    public void Commit(ServerRuntime? server)
    {
        if (server != null && !Rules.IsNonStick(server))
            for (int i = 0; i < _count; i++)
                _tables[i]!.Store(_keys[i].AsSpan(0, _lengths[i]), server.Id, _queueKeys[i]);
        Array.Clear(_tables, 0, _count);
        _count = 0;
    }

    private bool IsPending(IStickTable table, int from)
    {
        for (int i = from; i < _count; i++)
            if (ReferenceEquals(_tables[i], table)) return true;
        return false;
    }

    private void AddPending(IStickTable table, ReadOnlySpan<byte> key)
    {
        if (_count >= MaxStores || !table.TryPrepareStore(out long queueKey)) return;
        var buffer = _keys[_count];
        if (buffer is null || buffer.Length < key.Length) _keys[_count] = buffer = new byte[Math.Max(key.Length, _scratch.Length)];
        key.CopyTo(buffer);
        _tables[_count] = table;
        _lengths[_count] = key.Length;
        _queueKeys[_count] = queueKey;
        _count++;
    }
}
