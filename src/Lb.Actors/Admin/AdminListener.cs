using System.Net;
using System.Net.Sockets;
using Lb.Actors.Stats;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Actors.Admin;

/// <summary>
/// One 'stats socket': a UNIX socket (file mode from 'mode', replaced atomically like haproxy
/// does: bound under a temporary name, then renamed over the path) or a TCP address, with an
/// accept loop that runs each connection as a <see cref="CliConnection"/> at the socket's level.
/// </summary>
public sealed class AdminListener : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly string? _path;
    private readonly NodeStats _node;
    private readonly TimeSpan _timeout;
    private readonly int _maxConn;
    private readonly Func<IReadOnlyList<SocketInfo>> _sockets;
    private int _open;

    private AdminListener(Socket socket, string? path, string address, CliLevel level, NodeStats node, TimeSpan timeout, int maxConn,
        Func<IReadOnlyList<SocketInfo>> sockets)
    {
        _socket = socket;
        _path = path;
        Info = new SocketInfo(address, level);
        _node = node;
        _timeout = timeout;
        _maxConn = maxConn;
        _sockets = sockets;
        Completion = Task.Run(AcceptLoop);
    }

    public SocketInfo Info { get; }
    public Task Completion { get; }

    /// <exception cref="IOException">the socket cannot be bound (the node does not start, as haproxy)</exception>
    public static AdminListener Bind(StatsSocket config, NodeStats node, TimeSpan timeout, int maxConn, Func<IReadOnlyList<SocketInfo>> sockets)
    {
        var ep = config.Address;
        var level = CliLevels.Parse(config.Level);
        switch (ep.Kind)
        {
            case EndpointKind.Unix:
                return BindUnix(ep.Host, config.Mode, level, node, timeout, maxConn, sockets);
            case EndpointKind.Abstract:
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                s.Bind(new UnixDomainSocketEndPoint("\0" + ep.Host));
                s.Listen(16);
                return new AdminListener(s, null, "abns@" + ep.Host, level, node, timeout, maxConn, sockets);
            }
            case EndpointKind.Ip when ep.Ip is { } ip:
            {
                var s = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    s.Bind(new IPEndPoint(ip, ep.Port));
                    s.Listen(16);
                }
                catch (SocketException e)
                {
                    s.Dispose();
                    throw new IOException($"stats socket '{ep.Text}': cannot bind: {e.Message}", e);
                }
                var family = ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6@" : "ipv4@";
                return new AdminListener(s, null, family + ep.Text, level, node, timeout, maxConn, sockets);
            }
            default:
                throw new IOException($"stats socket '{ep.Text}': only UNIX paths and IP addresses are supported");
        }
    }

    private static AdminListener BindUnix(string path, string? mode, CliLevel level, NodeStats node, TimeSpan timeout, int maxConn,
        Func<IReadOnlyList<SocketInfo>> sockets)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (File.Exists(temp)) File.Delete(temp);
            s.Bind(new UnixDomainSocketEndPoint(temp));
            if (mode is { Length: > 0 } && !OperatingSystem.IsWindows())
            {
                int bits = Convert.ToInt32(mode, 8);
                File.SetUnixFileMode(temp, (UnixFileMode)(bits & 0xfff));
            }
            s.Listen(16);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            s.Dispose();
            try { File.Delete(temp); } catch (IOException) { }
            throw new IOException($"stats socket '{path}': cannot bind: {e.Message}", e);
        }
        return new AdminListener(s, path, "unix@" + path, level, node, timeout, maxConn, sockets);
    }

    private async Task AcceptLoop()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            if (Interlocked.Increment(ref _open) > _maxConn)
            {
                Interlocked.Decrement(ref _open);
                client.Dispose();
                continue;
            }
            var ctx = new CliContext(_node, Info.Level, _timeout, _sockets());
            _ = Task.Run(async () =>
            {
                try { await new CliConnection(client, ctx).RunAsync(token).ConfigureAwait(false); }
                finally { Interlocked.Decrement(ref _open); }
            }, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        if (_path != null)
        {
            try { File.Delete(_path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
