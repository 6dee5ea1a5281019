using System.Net.Sockets;
using Lb.Actors.Backends;
using Lb.Actors.Balancing;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Actors.Sessions;

/// <summary>
/// 'balance rdp-cookie' in tcp mode: the server is picked from the client's first bytes, so the
/// session waits for them — at most 'tcp-request inspect-delay' (frontend or backend), as HAProxy
/// waits with 'tcp-request content accept if RDP_COOKIE'. Without an inspect delay nothing is
/// awaited and the pick falls back to round robin.
/// </summary>
internal static class TcpPayloadBalancing
{
    private const int MaxPeek = 4096;

    /// <summary>True when the backend's server must be chosen from the payload, not at accept.</summary>
    public static bool NeedsPayload(BackendHandle? backend) => backend?.Snapshot.Config.Balance.Algorithm == BalanceAlgorithm.RdpCookie;

    public static async Task<ServerRuntime?> PickAsync(Socket client, Proxy frontend, BackendHandle backend, CancellationToken ct)
    {
        var cfg = backend.Snapshot.Config;
        var delay = InspectDelay(cfg) ?? InspectDelay(frontend) ?? TimeSpan.Zero;
        var name = HashKeys.Bytes(cfg.Balance.CookieName ?? "mstshash");
        var buffer = new byte[MaxPeek];
        int n = 0;
        var deadline = Environment.TickCount64 + (long)delay.TotalMilliseconds;
        try
        {
            while (Environment.TickCount64 < deadline)
            {
                int available = client.Available;
                if (available > n)
                {
                    n = await client.ReceiveAsync(buffer, SocketFlags.Peek, ct).ConfigureAwait(false);
                    HashKeys.TryRdpCookie(buffer.AsSpan(0, n), name, out _, out bool complete);
                    if (complete || n == buffer.Length) break;
                }
                else if (available == 0 && client.Poll(0, SelectMode.SelectRead)) break; // FIN
                else await Task.Delay(5, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
        return backend.Snapshot.Balancer.Pick(new BalanceContext { Payload = buffer.AsSpan(0, n) });
    }

    private static TimeSpan? InspectDelay(Proxy p)
    {
        foreach (var d in p.OtherDirectives)
            if (d.Words.Length >= 3 && d.Words[0] == "tcp-request" && d.Words[1] == "inspect-delay"
                && TimeParser.TryParse(d.Words[2], "inspect-delay", out var t) is null)
                return t;
        return null;
    }
}
