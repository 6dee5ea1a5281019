using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lb.Actors.Health;

/// <summary>
/// One active check over a raw socket, fully asynchronous: connect (layer 4), then for
/// 'option httpchk' send the request and read the response far enough to judge it (layer 7).
/// A pure TCP check closes with a reset right after connecting, as haproxy does, so that the
/// server's application never sees the connection.
/// </summary>
public static class CheckProbe
{
    /// <summary>haproxy's tune.chksize: how much of a response a check reads at most.</summary>
    public const int MaxResponse = 16 * 1024;

    /// <param name="stateHeader">the X-Haproxy-Server-State value for 'send-state', else null</param>
    /// <param name="serverUp">whether the server is up now (a 404 only means NOLB for an up server)</param>
    public static async Task<CheckResult> RunAsync(CheckTarget target, string? stateHeader, bool serverUp, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (target.Http is null && !target.SendProxy) DelayHandshakeAck(socket);
        try
        {
            var connect = socket.ConnectAsync(target.EndPoint, ct).AsTask();
            if (!await Within(connect, target.ConnectTimeout, () => Settled(socket, SelectMode.SelectWrite), ct).ConfigureAwait(false))
                return new CheckResult(CheckStatus.L4Tout, null, null, clock.Elapsed);
            await connect.ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return new CheckResult(CheckStatus.L4Con, null, e.Message, clock.Elapsed);
        }

        if (target.Http is null)
        {
            if (target.SendProxy) await TrySendProxyLine(socket).ConfigureAwait(false);
            else Reset(socket);
            return new CheckResult(CheckStatus.L4Ok, null, null, clock.Elapsed);
        }

        var readDeadline = (target.ReadCountsFromStart ? TimeSpan.Zero : clock.Elapsed) + target.ReadTimeout;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResponse);
        try
        {
            var request = HttpCheckRequest.Build(target.Http, stateHeader);
            if (target.SendProxy)
                request = [.. HttpCheckRequest.ProxyLine((IPEndPoint)socket.LocalEndPoint!, target.EndPoint), .. request];
            var send = socket.SendAsync(request, SocketFlags.None, ct).AsTask();
            if (!await Within(send, readDeadline - clock.Elapsed, () => Settled(socket, SelectMode.SelectWrite), ct).ConfigureAwait(false)) return new CheckResult(CheckStatus.L7Tout, null, null, clock.Elapsed);
            await send.ConfigureAwait(false);
            bool needBody = HttpCheckResponse.NeedsBody(target.Http);
            int length = 0;
            while (length < MaxResponse)
            {
                var receive = socket.ReceiveAsync(buffer.AsMemory(length, MaxResponse - length), SocketFlags.None, ct).AsTask();
                if (!await Within(receive, readDeadline - clock.Elapsed, () => Settled(socket, SelectMode.SelectRead), ct).ConfigureAwait(false))
                {
                    socket.Dispose(); // ends the pending receive before the buffer goes back to the pool
                    await Task.WhenAny(receive).ConfigureAwait(false);
                    return new CheckResult(CheckStatus.L7Tout, null, null, clock.Elapsed);
                }
                int n = await receive.ConfigureAwait(false);
                if (n == 0) break;
                length += n;
                if (!needBody && HttpCheckResponse.ParseStatusLine(buffer.AsSpan(0, length)) != null) break;
            }
            var status = HttpCheckResponse.ParseStatusLine(buffer.AsSpan(0, length));
            if (status is null)
                return new CheckResult(CheckStatus.L7Rsp, null, length == 0 ? "Empty response" : "Invalid HTTP response", clock.Elapsed);
            var (code, reason) = status.Value;
            var body = needBody ? BodyOf(buffer.AsSpan(0, length)) : "";
            var (verdict, info) = HttpCheckResponse.Judge(target.Http, code, reason, body, serverUp);
            return new CheckResult(verdict, code < 0 ? null : code, info, clock.Elapsed);
        }
        catch (SocketException e)
        {
            return new CheckResult(CheckStatus.SockErr, null, e.Message, clock.Elapsed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether <paramref name="op"/> completed within <paramref name="limit"/>. When the timer
    /// fires first, the socket itself is asked (<paramref name="settled"/>): if the kernel has
    /// the answer already, only this process was late (start-up JIT, a busy thread pool) and
    /// that must not count against the server, so the operation is awaited after all.
    /// </summary>
    private static async Task<bool> Within(Task op, TimeSpan limit, Func<bool> settled, CancellationToken ct)
    {
        if (op.IsCompleted) return true;
        if (limit > TimeSpan.Zero)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await Task.WhenAny(op, Task.Delay(limit, timer.Token)).ConfigureAwait(false);
            timer.Cancel();
            if (op.IsCompleted) return true;
        }
        if (settled() && await Task.WhenAny(op, Task.Delay(LateCompletion, ct)).ConfigureAwait(false) == op) return true;
        _ = op.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        return false;
    }

    /// <summary>How long an operation the kernel has finished may take to reach us.</summary>
    private static readonly TimeSpan LateCompletion = TimeSpan.FromSeconds(5);

    /// <summary>The kernel's view: the connect finished (either way), or there is something to read.</summary>
    private static bool Settled(Socket socket, SelectMode mode)
    {
        try { return socket.Poll(0, mode) || socket.Poll(0, SelectMode.SelectError); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { return true; }
    }

    private static string BodyOf(ReadOnlySpan<byte> response)
    {
        int end = response.IndexOf("\r\n\r\n"u8);
        return end < 0 ? "" : Encoding.UTF8.GetString(response[(end + 4)..]);
    }

    private static async Task TrySendProxyLine(Socket socket)
    {
        try
        {
            var line = HttpCheckRequest.ProxyLine((IPEndPoint)socket.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!);
            await socket.SendAsync(line, SocketFlags.None).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
    }

    /// <summary>
    /// Linux: with TCP_QUICKACK off, the last ACK of the handshake waits, and the reset sent right
    /// after connecting replaces it, so the server's kernel never queues the connection for its
    /// application (haproxy's pure TCP checks do the same; the server sees no accept()).
    /// </summary>
    private static void DelayHandshakeAck(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return;
        const int IpProtoTcp = 6, TcpQuickAck = 12;
        try { socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, Off); }
        catch (SocketException) { }
    }

    private static readonly byte[] Off = new byte[4];
    private static readonly LingerOption ResetOnClose = new(true, 0);

    private static void Reset(Socket socket)
    {
        try { socket.LingerState = ResetOnClose; }
        catch (SocketException) { }
    }
}
