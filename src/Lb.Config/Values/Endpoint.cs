using System.Net;

namespace Lb.Config.Values;

public enum EndpointKind { Ip, Hostname, Unix, Abstract, FileDescriptor, SocketPair }

/// <summary>
/// A listening or server address as HAProxy writes it. For bind lines a port range expands to
/// several listeners (<see cref="Port"/>..<see cref="PortEnd"/>); a server may have no port
/// (0: use the port the client connected to) or a relative one (<see cref="PortIsOffset"/>).
/// </summary>
public sealed record Endpoint(
    EndpointKind Kind,
    string Text,
    string Host,
    IPAddress? Ip,
    int Port,
    int PortEnd,
    bool PortIsOffset = false,
    string? Protocol = null)
{
    /// <summary>"*:80", "0.0.0.0:80", ":80" — bound on every IPv4 address.</summary>
    public bool IsWildcard => Ip != null && (Ip.Equals(IPAddress.Any) || Ip.Equals(IPAddress.IPv6Any));

    public IEnumerable<int> Ports()
    {
        for (int p = Port; p <= PortEnd; p++) yield return p;
    }

    public override string ToString() => Text;
}
