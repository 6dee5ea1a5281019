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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(target.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(target.EndPoint, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new CheckResult(CheckStatus.L4Tout, null, null, clock.Elapsed);
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

        timeout.CancelAfter(target.ReadTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResponse);
        try
        {
            var request = HttpCheckRequest.Build(target.Http, stateHeader);
            if (target.SendProxy)
                request = [.. HttpCheckRequest.ProxyLine((IPEndPoint)socket.LocalEndPoint!, target.EndPoint), .. request];
            await socket.SendAsync(request, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            bool needBody = HttpCheckResponse.NeedsBody(target.Http);
            int length = 0;
            while (length < MaxResponse)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(length, MaxResponse - length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
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
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new CheckResult(CheckStatus.L7Tout, null, null, clock.Elapsed);
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

    private static void Reset(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); }
        catch (SocketException) { }
    }
}
