using System.Net;
using System.Net.Sockets;
using Lb.Config.Model;

namespace Lb.Actors.Logging;

/// <summary>
/// One 'log' target, resolved: where lines go (UDP syslog, a UNIX datagram socket such as
/// /dev/log, stdout or stderr), their header format, facility, levels, length and sampling.
/// Only the sender thread writes to it. Sockets are non-blocking: a datagram the kernel cannot
/// take now is dropped and counted, as haproxy does, so a stuck syslog daemon never stalls the
/// sender; stdout/stderr writes may block the sender, never a session.
/// </summary>
internal sealed class LogSink : IDisposable
{
    public enum Kind { Udp, UnixDatagram, Stdout, Stderr }

    public const int DefaultPort = 514;
    public const int DefaultLength = 1024;

    private Socket? _socket;
    private SocketAddress? _address; // the remote, serialized once: sends do not allocate
    private Stream? _stream;

    private LogSink(Kind kind, EndPoint? remote, string description)
    {
        Destination = kind;
        Remote = remote;
        Description = description;
    }

    public Kind Destination { get; }
    public EndPoint? Remote { get; }
    public string Description { get; }
    public LogHeaderFormat Format { get; private init; }
    public int Facility { get; private init; }
    public int MaxLevel { get; private init; } = Syslog.Debug;
    public int MinLevel { get; private init; } = Syslog.Emerg;
    public int MaxLength { get; private init; } = DefaultLength;
    private LogSampler? Sampler { get; init; }

    /// <summary>
    /// True when a message of <paramref name="level"/> goes to this target; <paramref name="sent"/>
    /// is the level it is sent with (raised to 'minlevel' when more severe, as haproxy does).
    /// </summary>
    public bool Accepts(int level, out int sent)
    {
        sent = Math.Max(level, MinLevel);
        if (level > MaxLevel) return false;
        return Sampler?.Next() ?? true;
    }

    /// <summary>Sends one finished line (header, message, '\n'); false when it was dropped.</summary>
    public bool Write(ReadOnlySpan<byte> line)
    {
        try
        {
            switch (Destination)
            {
                case Kind.Stdout or Kind.Stderr:
                    _stream ??= Destination == Kind.Stdout ? Console.OpenStandardOutput() : Console.OpenStandardError();
                    _stream.Write(line);
                    _stream.Flush();
                    return true;
                default:
                    _socket ??= Destination == Kind.Udp
                        ? new Socket(Remote!.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false }
                        : new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
                    _address ??= Remote!.Serialize();
                    return _socket.SendTo(line, SocketFlags.None, _address) == line.Length;
            }
        }
        catch (SocketException) { return false; }   // would block, no listener, no such path, ...
        catch (IOException) { return false; }       // closed stdout/stderr
        catch (ObjectDisposedException) { return false; }
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _stream?.Dispose();
    }

    /// <summary>Resolves a configured target; null with <paramref name="error"/> when it cannot be used.</summary>
    public static LogSink? Create(LogTarget target, out string? error)
    {
        error = null;
        var sink = CreateDestination(target.Address, out error);
        if (sink is null) return null;
        LogSampler? sampler = null;
        if (target.Sample is { } spec && (sampler = LogSampler.Parse(spec, out error)) is null) return null;
        int facility = Syslog.Facility(target.Facility);
        int max = Syslog.Level(target.Level, Syslog.Debug), min = Syslog.Level(target.MinLevel, Syslog.Emerg);
        if (facility < 0 || max < 0 || min < 0)
        {
            error = $"unknown facility or level in 'log {target.Address} ...'";
            return null;
        }
        return new LogSink(sink.Destination, sink.Remote, sink.Description)
        {
            Format = ParseFormat(target.Format),
            Facility = facility,
            MaxLevel = max,
            MinLevel = min,
            MaxLength = target.MaxLength ?? DefaultLength,
            Sampler = sampler,
        };
    }

    private static LogHeaderFormat ParseFormat(string? format) => format switch
    {
        "local" => LogHeaderFormat.Local,
        "rfc5424" => LogHeaderFormat.Rfc5424,
        "priority" => LogHeaderFormat.Priority,
        "short" => LogHeaderFormat.Short,
        "timed" => LogHeaderFormat.Timed,
        "iso" => LogHeaderFormat.Iso,
        "raw" => LogHeaderFormat.Raw,
        _ => LogHeaderFormat.Rfc3164,
    };

    private static LogSink? CreateDestination(string address, out string? error)
    {
        error = null;
        switch (address)
        {
            case "stdout" or "fd@1": return new LogSink(Kind.Stdout, null, "stdout");
            case "stderr" or "fd@2": return new LogSink(Kind.Stderr, null, "stderr");
        }
        if (address.StartsWith("unix@", StringComparison.Ordinal)) address = address[5..];
        if (address.StartsWith('/'))
            return new LogSink(Kind.UnixDatagram, new UnixDomainSocketEndPoint(address), address);
        int at = address.IndexOf('@');
        if (at >= 0)
        {
            var scheme = address[..at];
            if (scheme is not ("udp" or "udp4" or "udp6" or "ipv4" or "ipv6"))
            {
                error = $"log target '{address}' is not supported (UDP address, UNIX socket path, stdout or stderr)";
                return null;
            }
            address = address[(at + 1)..];
        }
        if (!TryParseHostPort(address, out var host, out int port))
        {
            error = $"invalid log address '{address}'";
            return null;
        }
        IPAddress? ip;
        if (!IPAddress.TryParse(host, out ip))
        {
            try { ip = Dns.GetHostAddresses(host).FirstOrDefault(); }
            catch (SocketException) { ip = null; }
            if (ip is null)
            {
                error = $"could not resolve log address '{host}'";
                return null;
            }
        }
        var ep = new IPEndPoint(ip, port);
        return new LogSink(Kind.Udp, ep, ep.ToString());
    }

    /// <summary>"host", "host:port", "[v6]:port" or a bare IPv6 address.</summary>
    private static bool TryParseHostPort(string s, out string host, out int port)
    {
        port = DefaultPort;
        host = s;
        if (s.Length == 0) return false;
        if (s[0] == '[')
        {
            int close = s.IndexOf(']');
            if (close < 0) return false;
            host = s[1..close];
            var rest = s[(close + 1)..];
            return rest.Length == 0 || rest[0] == ':' && int.TryParse(rest.AsSpan(1), out port) && port is > 0 and < 65536;
        }
        if (IPAddress.TryParse(s, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6) return true;
        int colon = s.LastIndexOf(':');
        if (colon < 0) return true;
        host = s[..colon];
        return int.TryParse(s.AsSpan(colon + 1), out port) && port is > 0 and < 65536;
    }
}
