using System.Net;
using System.Net.Sockets;

namespace Lb.Actors.Streams;

/// <summary>Listening-socket options (HAProxy <c>bind</c> line / <c>backlog</c>).</summary>
public sealed record SocketListenerSettings
{
    public static SocketListenerSettings Default { get; } = new();

    /// <summary>listen(2) backlog; the kernel caps it at net.core.somaxconn.</summary>
    public int Backlog { get; init; } = 1024;

    /// <summary>
    /// SO_REUSEADDR (rebind while old connections sit in TIME_WAIT). Set as the raw option: .NET's
    /// <see cref="SocketOptionName.ReuseAddress"/> also sets SO_REUSEPORT on Linux, which would let a
    /// second process bind the same port silently. Not set on Windows, where it means port stealing.
    /// </summary>
    public bool ReuseAddress { get; init; } = true;

    /// <summary>TCP_NODELAY on accepted sockets.</summary>
    public bool NoDelay { get; init; } = true;

    /// <summary>
    /// For an IPv6 wildcard (<c>::</c>): accept only IPv6 (HAProxy <c>v6only</c>). Default false:
    /// <c>::</c> accepts IPv4 too (HAProxy <c>v4v6</c>, Linux's default).
    /// </summary>
    public bool V6Only { get; init; }
}

/// <summary>A bind/listen failure, naming the address (e.g. "127.0.0.1:80: address already in use").</summary>
public sealed class SocketBindException : IOException
{
    public SocketBindException(EndPoint endPoint, SocketException inner)
        : base($"cannot bind {Format(endPoint)}: {Describe(inner.SocketErrorCode, inner.Message)}", inner)
    {
        EndPoint = endPoint;
        SocketError = inner.SocketErrorCode;
    }

    public EndPoint EndPoint { get; }
    public SocketError SocketError { get; }

    internal static string Format(EndPoint ep) => ep switch
    {
        IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } ip => $"[{ip.Address}]:{ip.Port}",
        _ => ep.ToString() ?? "?",
    };

    private static string Describe(SocketError error, string message) => error switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available on this host",
        SocketError.AccessDenied => "permission denied",
        _ => message,
    };
}

/// <summary>
/// A bound, listening TCP socket with an accept loop. Every accepted socket (TCP_NODELAY set per
/// settings) is handed to the callback, which owns it from then on — typically a frontend actor's
/// <c>Self.Tell(new Accepted(socket))</c>; the callback must not block. <see cref="Stop"/> closes
/// the listening socket; connections already accepted are untouched.
/// </summary>
public sealed class SocketListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Action<Socket> _onAccepted;
    private readonly Action<Exception>? _onError;
    private readonly bool _noDelay;
    private readonly CancellationTokenSource _stop = new();
    private int _stopped;

    private SocketListener(Socket socket, Action<Socket> onAccepted, Action<Exception>? onError, bool noDelay)
    {
        _socket = socket;
        _onAccepted = onAccepted;
        _onError = onError;
        _noDelay = noDelay;
        LocalEndPoint = socket.LocalEndPoint!;
        Completion = Task.Run(AcceptLoop);
    }

    /// <summary>The bound address (with the real port when port 0 was asked for).</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>Completes when the accept loop has ended (after <see cref="Stop"/>).</summary>
    public Task Completion { get; }

    /// <summary>
    /// Binds <paramref name="endPoint"/> (IPv4, IPv6, or a wildcard), listens and starts accepting.
    /// </summary>
    /// <param name="onAccepted">gets each accepted socket; runs on a pool thread, must not block</param>
    /// <param name="onError">optional: accept errors that do not stop the loop (e.g. EMFILE), callback exceptions</param>
    /// <exception cref="SocketBindException">the address is in use, not local, or not permitted</exception>
    public static SocketListener Bind(EndPoint endPoint, Action<Socket> onAccepted,
        SocketListenerSettings? settings = null, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(onAccepted);
        settings ??= SocketListenerSettings.Default;

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (settings.ReuseAddress) SetReuseAddress(socket);
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 &&
                endPoint is IPEndPoint ip && ip.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = !settings.V6Only;
            socket.Bind(endPoint);
            socket.Listen(settings.Backlog);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new SocketBindException(endPoint, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new SocketListener(socket, onAccepted, onError, settings.NoDelay);
    }

    private static void SetReuseAddress(Socket socket)
    {
        if (OperatingSystem.IsLinux())
            socket.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
            socket.SetRawSocketOption(0xffff /* SOL_SOCKET */, 4 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
        // Windows: SO_REUSEADDR allows port stealing; its default already allows rebinding after close.
    }

    private async Task AcceptLoop()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // e.g. the client reset before accept, or out of file descriptors: report, back off, go on
                _onError?.Invoke(ex);
                if (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
                {
                    try { await Task.Delay(100, token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return; }
                }
                continue;
            }

            try
            {
                if (_noDelay) accepted.NoDelay = true;
                _onAccepted(accepted);
            }
            catch (Exception ex)
            {
                accepted.Dispose();
                _onError?.Invoke(ex);
            }
        }
    }

    /// <summary>Closes the listening socket and ends the accept loop. Idempotent.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _stop.Cancel();
        _socket.Dispose();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    public override string ToString() => $"SocketListener({SocketBindException.Format(LocalEndPoint)})";
}
