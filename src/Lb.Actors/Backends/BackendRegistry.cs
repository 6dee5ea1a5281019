using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Lb.Actors.Persistence;
using Lb.Config.Model;

namespace Lb.Actors.Backends;

/// <summary>
/// Every backend's published handle by name, built once from the config. Frontends resolve
/// their default_backend / use_backend targets here at start, not per request.
/// </summary>
public sealed class BackendRegistry
{
    private readonly ImmutableDictionary<string, BackendHandle> _handles;

    private BackendRegistry(ImmutableDictionary<string, BackendHandle> handles, LbConfig config, StickTableRegistry stickTables, IReadOnlyList<string> warnings)
    {
        _handles = handles;
        Config = config;
        StickTables = stickTables;
        Warnings = warnings;
    }

    /// <summary>Every proxy's stick table, by proxy name.</summary>
    public StickTableRegistry StickTables { get; }

    /// <summary>What the runtime cannot honour in the config (stick rules left out, ...), for the log.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public IEnumerable<BackendHandle> All => _handles.Values;

    /// <summary>The configuration the registry was built from (userlists and other sections).</summary>
    public LbConfig Config { get; }

    public BackendHandle? Find(string name) => _handles.GetValueOrDefault(name);

    /// <param name="conditions">compiles the conditions of stick rules (the ACL engine); null: conditioned stick rules are left out</param>
    public static BackendRegistry Build(LbConfig config, Func<string, IPAddress?>? resolve = null, IStickConditionCompiler? conditions = null)
    {
        resolve ??= Resolve;
        var warnings = new List<string>();
        var tables = StickTableRegistry.Build(config, warnings: warnings);
        var map = ImmutableDictionary.CreateBuilder<string, BackendHandle>(StringComparer.Ordinal);
        foreach (var proxy in config.Backends)
        {
            if (map.ContainsKey(proxy.Name)) continue;
            var queue = new Queueing.BackendQueue();
            var servers = proxy.Servers.Select((s, i) => new ServerRuntime(s, proxy.Name, s.Id ?? i + 1, EndPointOf(s, resolve), queue))
                .ToImmutableArray();
            map[proxy.Name] = new BackendHandle(SnapshotBuilder.Initial(proxy, servers), queue)
            {
                Stick = StickRuleSet.Build(proxy, servers, tables, conditions, warnings),
            };
        }
        return new BackendRegistry(map.ToImmutable(), config, tables, warnings);
    }

    private static IPEndPoint? EndPointOf(Server s, Func<string, IPAddress?> resolve)
    {
        if (s.Address is not { } a) return null;
        var ip = a.Ip ?? (a.Kind == Lb.Config.Values.EndpointKind.Hostname ? resolve(a.Host) : null);
        // Port 0 means "the port the client connected to"; relative ports are applied per session.
        return ip is null ? null : new IPEndPoint(ip, a.PortIsOffset ? 0 : a.Port);
    }

    private static IPAddress? Resolve(string host)
    {
        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? Dns.GetHostAddresses(host).FirstOrDefault();
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
