using Lb.Actors.Backends;

namespace Lb.Actors.Balancing;

/// <summary>
/// 'balance first': the usable server with the lowest id that still has a free connection slot
/// (servers without maxconn always have one), so that servers fill up one after the other.
/// </summary>
public sealed class FirstBalancer : IBalancer
{
    public const string Name = "first";

    private readonly ServerRuntime[] _byId;
    private readonly ServerRuntime? _single;

    public FirstBalancer(ServerGroups groups)
    {
        _single = groups.FirstBackup;
        _byId = groups.Group.OrderBy(s => s.Id).ToArray();
    }

    public ServerRuntime? Pick(in BalanceContext context)
    {
        if (_single != null) return _single;
        ServerRuntime? avoided = null;
        foreach (var s in _byId)
        {
            if (!s.HasRoom) continue;
            if (s != context.Avoid) return s;
            avoided = s;
        }
        // Every one full: null, the request waits in the backend's queue.
        return avoided;
    }
}
