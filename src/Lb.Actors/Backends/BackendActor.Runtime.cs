using System.Globalization;
using System.Net;
using Akka.Actor;
using Lb.Actors.Health;

namespace Lb.Actors.Backends;

/// <summary>The answer to a runtime change that haproxy reports with a text (addresses).</summary>
public sealed record RuntimeChangeResult(string Message);

public sealed partial class BackendActor
{
    /// <summary>'set maxconn server BE/SRV N' (0 = no limit); replies <see cref="AdminResult"/>.</summary>
    public sealed record SetServerMaxConn(string Server, int MaxConn);

    /// <summary>'set server BE/SRV addr IP [port P]'; replies <see cref="RuntimeChangeResult"/> with haproxy's text.</summary>
    public sealed record SetServerAddress(string Server, string Address, string? Port);

    /// <summary>'set server BE/SRV check-addr|check-port': where the health checks connect; replies <see cref="AdminResult"/>.</summary>
    public sealed record SetCheckAddress(string Server, IPAddress? Address, int? Port);

    // 'check-addr'/'check-port' changed at run time: the server's config as the checker sees it.
    private readonly Dictionary<string, Lb.Config.Model.Server> _checkConfigs = new(StringComparer.Ordinal);

    private void ReceiveRuntimeChanges()
    {
        Receive<SetServerMaxConn>(OnSetMaxConn);
        Receive<SetServerAddress>(OnSetAddress);
        Receive<SetCheckAddress>(OnSetCheckAddress);
        ReceiveAgent();
    }

    private void OnSetMaxConn(SetServerMaxConn m)
    {
        if (_handle.Snapshot.FindServer(m.Server) is not { } server) { Sender.Tell(new AdminResult(false, "No such server.")); return; }
        ApplyMaxConn(server, m.MaxConn);
        Sender.Tell(AdminResult.Done);
    }

    private void ApplyMaxConn(ServerRuntime server, int maxConn)
    {
        // haproxy keeps maxconn in an int and compares it unsigned: a negative one is no limit in practice.
        int limit = maxConn < 0 ? int.MaxValue : maxConn;
        if (_ramping.TryGetValue(server, out var since) && server.Config.SlowStart is { } ramp)
            limit = SlowStart.MaxConn(limit, (Environment.TickCount64 - since + 500) / 1000, SlowStart.Seconds(ramp));
        server.SetMaxConn(maxConn, limit);
        // A higher (or no) limit lets waiting requests in at once (haproxy's process_srv_queue).
        _handle.Queue.LimitChanged(server);
    }

    /// <summary>haproxy's srv_update_addr_port: the new address (and port) for new connections and checks.</summary>
    private void OnSetAddress(SetServerAddress m)
    {
        if (_handle.Snapshot.FindServer(m.Server) is not { } server) { Sender.Tell(new RuntimeChangeResult("No such server.\n")); return; }
        var text = new System.Text.StringBuilder();
        var before = server.EndPoint;
        var ip = before?.Address;
        int port = before?.Port ?? 0;
        bool changed = false;
        if (!ServerAddressText.TryParseIp(m.Address, out var newIp))
        {
            text.Append("Invalid addr '").Append(m.Address).Append('\'');
        }
        else
        {
            if (ip != null && ip.Equals(newIp)) text.Append("no need to change the addr");
            else
            {
                text.Append("IP changed from '").Append(ip?.ToString() ?? "").Append("' to '").Append(m.Address).Append('\'');
                ip = newIp;
                changed = true;
            }
            if (m.Port != null)
            {
                text.Append(", ");
                var addr = server.Config.Address;
                if (m.Port.StartsWith('+') || m.Port.StartsWith('-') || addr is { PortIsOffset: true })
                    // Lb keeps port offsets ('+N' on the server line) as configured.
                    text.Append("can't change <port> to port map because it is incompatible with current health check port configuration (use 'port' statement from the 'server' directive.");
                else if (!int.TryParse(m.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
                    text.Append("problem converting port '").Append(m.Port).Append("' to an int");
                else if (p == port) text.Append("no need to change the port");
                else
                {
                    text.Append("port changed from '").Append(port.ToString(CultureInfo.InvariantCulture)).Append("' to '").Append(m.Port).Append('\'');
                    port = p;
                    changed = true;
                }
            }
        }
        if (changed && ip != null) ApplyAddress(server, new IPEndPoint(ip, port));
        text.Append(" by 'stats socket command'\n");
        Sender.Tell(new RuntimeChangeResult(text.ToString()));
    }

    private void ApplyAddress(ServerRuntime server, IPEndPoint endPoint)
    {
        bool wasUnusable = server.EndPoint is null;
        server.EndPoint = endPoint;
        // Idle connections go to the old address: closed now; busy ones are not parked again.
        server.Pool.Forget();
        RetargetChecks(server);
        if (wasUnusable && _usable.ContainsKey(server.Name) && !server.Config.Check)
        {
            _usable[server.Name] = true;
            Publish();
        }
    }

    private void OnSetCheckAddress(SetCheckAddress m)
    {
        if (_handle.Snapshot.FindServer(m.Server) is not { } server) { Sender.Tell(new AdminResult(false, "No such server.")); return; }
        var cfg = CheckConfigOf(server);
        if (m.Address != null) cfg = cfg with { CheckAddr = m.Address.ToString() };
        if (m.Port is { } p) cfg = cfg with { CheckPort = p == 0 ? null : p };
        _checkConfigs[server.Name] = cfg;
        RetargetChecks(server);
        Sender.Tell(AdminResult.Done);
    }

    private Lb.Config.Model.Server CheckConfigOf(ServerRuntime server) =>
        _checkConfigs.TryGetValue(server.Name, out var c) ? c : server.Config;

    /// <summary>Tells the server's checker where to connect now (the agent reads the server's address at each probe).</summary>
    private void RetargetChecks(ServerRuntime server)
    {
        var checker = Context.Child(HealthCheckActor.ChildName(server.Name));
        if (!checker.IsNobody() && CheckTarget.For(CheckConfigOf(server), server.EndPoint, _handle.Snapshot.Config) is { } target)
            checker.Tell(new HealthCheckActor.TargetChanged(target));
    }
}
