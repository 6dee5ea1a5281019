using System.Net;

namespace Lb.Actors.Stats;

/// <summary>
/// One bound address of a frontend, as 'option socket-stats' shows it (a row of type 3): its
/// sessions and the bytes of those sessions.
/// </summary>
public sealed class ListenerStats
{
    private long _bytesIn, _bytesOut, _requestErrors;

    public ListenerStats(int id, string name, EndPoint address, int maxConn)
    {
        Id = id;
        Name = name;
        Address = address;
        MaxConn = maxConn;
    }

    /// <summary>The listener's number in its frontend (sid), from 1.</summary>
    public int Id { get; }

    /// <summary>'bind ... name N', else haproxy's "sock-ID".</summary>
    public string Name { get; }
    public EndPoint Address { get; }
    public int MaxConn { get; }
    public SessionGauge Sessions { get; } = new();
    public long BytesIn => Volatile.Read(ref _bytesIn);
    public long BytesOut => Volatile.Read(ref _bytesOut);
    public long RequestErrors => Volatile.Read(ref _requestErrors);

    public void RequestFailed() => Interlocked.Increment(ref _requestErrors);

    public void SessionEnded(long bytesIn, long bytesOut)
    {
        Sessions.Closed();
        Interlocked.Add(ref _bytesIn, bytesIn);
        Interlocked.Add(ref _bytesOut, bytesOut);
    }

    /// <summary>Whether an accepted socket's local address belongs to this listener (wildcards match any address).</summary>
    public bool Accepts(EndPoint? local)
    {
        if (local is not IPEndPoint l || Address is not IPEndPoint a || l.Port != a.Port) return false;
        if (a.Address.Equals(IPAddress.Any) || a.Address.Equals(IPAddress.IPv6Any)) return true;
        var la = l.Address.IsIPv4MappedToIPv6 ? l.Address.MapToIPv4() : l.Address;
        return la.Equals(a.Address);
    }
}
