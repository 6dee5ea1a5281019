using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lb.Actors.Health;

/// <summary>What one agent probe got: a line (or null with the failure's status and text), and how long it took.</summary>
public sealed record AgentProbeResult(string? Line, AgentStatus Failure, string FailureText, TimeSpan Duration);

/// <summary>
/// One agent check, haproxy's way: connect, send 'agent-send' if any, read until the first line
/// ends or the agent closes. Failing to connect or to get a line is reported but never marks the
/// server down (haproxy: agent errors below layer 7 do not count).
/// </summary>
public static class AgentProbe
{
    private const int MaxReply = 1024;

    public static async Task<AgentProbeResult> RunAsync(IPEndPoint target, byte[] send, TimeSpan connectTimeout, TimeSpan readTimeout, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            cts.CancelAfter(connectTimeout);
            try { await socket.ConnectAsync(target, cts.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return new(null, AgentStatus.L4Tout, "", clock.Elapsed); }
            catch (SocketException e) { return new(null, AgentStatus.L4Con, ErrorText(e), clock.Elapsed); }
        }
        var buffer = new byte[MaxReply];
        int used = 0;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            cts.CancelAfter(readTimeout);
            try
            {
                if (send.Length > 0) await socket.SendAsync(send, SocketFlags.None, cts.Token).ConfigureAwait(false);
                while (used < buffer.Length)
                {
                    int n = await socket.ReceiveAsync(buffer.AsMemory(used), SocketFlags.None, cts.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    used += n;
                    if (Array.IndexOf(buffer, (byte)'\n', used - n, n) >= 0 || Array.IndexOf(buffer, (byte)'\r', used - n, n) >= 0) break;
                }
            }
            catch (OperationCanceledException) { return new(null, AgentStatus.L7Tout, "", clock.Elapsed); }
            catch (SocketException e) when (used == 0) { return new(null, AgentStatus.L7Rsp, ErrorText(e), clock.Elapsed); }
            catch (SocketException) { }
        }
        var duration = clock.Elapsed;
        if (used == 0) return new(null, AgentStatus.L7Rsp, $"TCPCHK got an empty response at step {(send.Length > 0 ? 2 : 1)}", duration);
        var text = Encoding.Latin1.GetString(buffer, 0, used);
        int end = text.IndexOfAny(['\r', '\n']);
        if (end < 0) return new(null, AgentStatus.Checked, "Ignoring incomplete line from agent", duration);
        return new(text[..end], AgentStatus.Checked, "", duration);
    }

    private static string ErrorText(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "Connection refused",
        SocketError.ConnectionReset => "Connection reset by peer",
        SocketError.NetworkUnreachable => "Network is unreachable",
        SocketError.HostUnreachable => "No route to host",
        _ => e.Message,
    };
}
