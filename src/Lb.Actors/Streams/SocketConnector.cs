using System.Net;
using System.Net.Sockets;

namespace Lb.Actors.Streams;

public enum ConnectFailure
{
    /// <summary>The peer answered with RST (nothing listening): ECONNREFUSED.</summary>
    Refused,
    /// <summary>No answer within the connect timeout (HAProxy <c>timeout connect</c>).</summary>
    TimedOut,
    /// <summary>No route to the host or network.</summary>
    Unreachable,
    /// <summary>Any other socket error; see <see cref="SocketConnectException.SocketError"/>.</summary>
    Other,
}

/// <summary>A failed outgoing connection, naming the address and the reason.</summary>
public sealed class SocketConnectException : IOException
{
    public SocketConnectException(EndPoint endPoint, ConnectFailure reason, SocketError socketError, Exception? inner)
        : base($"connect to {SocketBindException.Format(endPoint)} failed: {Describe(reason, socketError)}", inner)
    {
        EndPoint = endPoint;
        Reason = reason;
        SocketError = socketError;
    }

    public EndPoint EndPoint { get; }
    public ConnectFailure Reason { get; }
    public SocketError SocketError { get; }

    private static string Describe(ConnectFailure reason, SocketError error) => reason switch
    {
        ConnectFailure.Refused => "connection refused",
        ConnectFailure.TimedOut => "timed out",
        ConnectFailure.Unreachable => "unreachable",
        _ => error.ToString(),
    };
}

/// <summary>Outgoing TCP connections (to servers, for health checks).</summary>
public static class SocketConnector
{
    /// <summary>
    /// Connects a new TCP socket to <paramref name="endPoint"/> with TCP_NODELAY on.
    /// </summary>
    /// <param name="timeout">connect timeout; <see cref="Timeout.InfiniteTimeSpan"/> for none</param>
    /// <param name="cancellationToken">caller's cancellation: ends in <see cref="OperationCanceledException"/></param>
    /// <exception cref="SocketConnectException">refused, timed out, unreachable or another socket error</exception>
    public static async Task<Socket> ConnectAsync(EndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp); // DnsEndPoint: dual-mode IPv6 socket
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) timeoutCts.CancelAfter(timeout);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(endPoint, timeoutCts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketConnectException(endPoint, ConnectFailure.TimedOut, SocketError.TimedOut, null);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var reason = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ConnectFailure.Refused,
                SocketError.TimedOut => ConnectFailure.TimedOut,
                SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound => ConnectFailure.Unreachable,
                _ => ConnectFailure.Other,
            };
            throw new SocketConnectException(endPoint, reason, ex.SocketErrorCode, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
