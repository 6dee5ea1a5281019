using System.Globalization;
using System.Net;
using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>Runtime-API commands on one server: get/set weight, set server, enable/disable, shutdown sessions.</summary>
public static class ServerCommands
{
    /// <summary>Resolves "BACKEND/SERVER" with haproxy's error texts.</summary>
    public static (ProxyStats Proxy, ServerRuntime Server)? Resolve(CliContext ctx, string? arg, out string error)
    {
        error = "";
        if (CliParser.BackendServer(arg) is not { } names) { error = "Require 'backend/server'.\n"; return null; }
        var proxy = ctx.Node.Proxies.FirstOrDefault(p => p.Backend != null && p.Name == names.Backend);
        if (proxy is null) { error = "No such backend.\n"; return null; }
        var server = proxy.Backend!.Snapshot.FindServer(names.Server);
        if (server is null) { error = "No such server.\n"; return null; }
        return (proxy, server);
    }

    private static string? Arg(string[] words, int i) => i < words.Length ? words[i] : null;

    public static string GetWeight(CliContext ctx, string[] words)
    {
        if (Resolve(ctx, Arg(words, 2), out var error) is not { } found) return error;
        return $"{found.Server.Weight} (initial {found.Server.Config.Weight})\n";
    }

    public static Task<string> SetWeight(CliContext ctx, string[] words)
    {
        if (Resolve(ctx, Arg(words, 2), out var error) is not { } found) return Task.FromResult(error);
        return ApplyWeight(found.Proxy, found.Server, Arg(words, 3));
    }

    /// <summary>haproxy's weight parser: "N" (0..256) or "N%" of the initial weight; its error texts.</summary>
    public static string? ParseWeight(ServerRuntime server, string? text, out int weight)
    {
        weight = 0;
        if (string.IsNullOrEmpty(text)) return "Require <weight> or <weight%>.\n";
        int end = 0;
        if (end < text.Length && text[end] is '-' or '+') end++;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        if (end == 0 || (end == 1 && !char.IsAsciiDigit(text[0]))) return "Empty weight string empty or preceded by garbage";
        if (!long.TryParse(text[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var w)) w = long.MaxValue;
        var rest = text[end..];
        if (rest == "%")
        {
            if (w < 0) return "Relative weight must be positive.\n";
            w = Math.Min(256, server.Config.Weight * w / 100);
        }
        else if (w is < 0 or > 256) return "Absolute weight can only be between 0 and 256 inclusive.\n";
        else if (rest.Length > 0) return "Trailing garbage in weight string";
        weight = (int)w;
        return null;
    }

    private static async Task<string> ApplyWeight(ProxyStats proxy, ServerRuntime server, string? text)
    {
        if (ParseWeight(server, text, out var weight) is { } error) return error;
        // Static algorithms take no weight changes but a full stop or restart (haproxy's rule).
        var algo = proxy.Config.Balance.Algorithm;
        bool dynamic = algo is Lb.Config.Model.BalanceAlgorithm.RoundRobin or Lb.Config.Model.BalanceAlgorithm.LeastConn
            or Lb.Config.Model.BalanceAlgorithm.Random || (proxy.Config.Balance.IsHashBased && proxy.Config.HashType.Method == Lb.Config.Model.HashMethod.Consistent);
        if (weight != 0 && weight != server.Config.Weight && !dynamic)
            return "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n";
        var r = await proxy.BackendActor!.Ask<AdminResult>(new BackendActor.SetServerWeight(server.Name, weight), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Ok ? "" : r.Error ?? "";
    }

    /// <summary>disable/enable server|health|agent, shutdown sessions server: the server is at words[<paramref name="at"/>].</summary>
    public static async Task<string> Admin(CliContext ctx, string[] words, int at, ServerAdminAction action)
    {
        if (Resolve(ctx, Arg(words, at), out var error) is not { } found) return error;
        return await Ask(found.Proxy, found.Server, action).ConfigureAwait(false);
    }

    private static async Task<string> Ask(ProxyStats proxy, ServerRuntime server, ServerAdminAction action)
    {
        var r = await proxy.BackendActor!.Ask<AdminResult>(new BackendActor.ServerAdmin(server.Name, action), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Ok ? "" : r.Error + "\n";
    }

    /// <summary>'set server BE/SRV state|weight|health|agent|addr ...'.</summary>
    public static async Task<string> SetServer(CliContext ctx, string[] words)
    {
        if (Resolve(ctx, Arg(words, 2), out var error) is not { } found) return error;
        var (proxy, server) = found;
        switch (Arg(words, 3))
        {
            case "state":
                return Arg(words, 4) switch
                {
                    "ready" => await Ask(proxy, server, ServerAdminAction.Ready).ConfigureAwait(false),
                    "drain" => await Ask(proxy, server, ServerAdminAction.Drain).ConfigureAwait(false),
                    "maint" => await Ask(proxy, server, ServerAdminAction.Maint).ConfigureAwait(false),
                    _ => "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n",
                };
            case "weight":
                return await ApplyWeight(proxy, server, Arg(words, 4)).ConfigureAwait(false);
            case "health":
                if (!server.Config.Check) return Arg(words, 4) is "up" or "stopping" or "down" ? "" : "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n";
                return Arg(words, 4) switch
                {
                    "up" => await Ask(proxy, server, ServerAdminAction.HealthUp).ConfigureAwait(false),
                    "stopping" => await Ask(proxy, server, ServerAdminAction.HealthStopping).ConfigureAwait(false),
                    "down" => await Ask(proxy, server, ServerAdminAction.HealthDown).ConfigureAwait(false),
                    _ => "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n",
                };
            case "agent":
                return await AgentCommands.SetAgent(proxy, server, Arg(words, 4)).ConfigureAwait(false);
            case "addr":
                return await SetAddress(proxy, server, Arg(words, 4), Arg(words, 5) == "port" ? Arg(words, 6) : null).ConfigureAwait(false);
            case "check-addr" or "check-port":
                return await SetCheckAddress(proxy, server, words).ConfigureAwait(false);
            case "agent-addr" or "agent-port" or "agent-send":
                return await AgentCommands.SetAgentParameter(proxy, server, words).ConfigureAwait(false);
            case "fqdn" or "ssl":
                return $"'set server <srv> {words[3]}' is not supported by Lb yet.\n";
            default:
                return "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n";
        }
    }

    /// <summary>'set server ... addr A [port P]': haproxy's srv_update_addr_port, applied by the backend actor.</summary>
    private static async Task<string> SetAddress(ProxyStats proxy, ServerRuntime server, string? addr, string? port)
    {
        if (string.IsNullOrEmpty(addr)) return "set server <b>/<s> addr requires an address and optionally a port.\n";
        // A bad address changes nothing: answered here (the backend actor applies good ones).
        if (!ServerAddressText.TryParseIp(addr, out _)) return $"Invalid addr '{addr}' by 'stats socket command'\n";
        var r = await proxy.BackendActor!.Ask<RuntimeChangeResult>(new BackendActor.SetServerAddress(server.Name, addr, port), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Message;
    }

    /// <summary>'set server ... check-addr A [port P]' and 'check-port P', with haproxy's texts.</summary>
    private static async Task<string> SetCheckAddress(ProxyStats proxy, ServerRuntime server, string[] words)
    {
        bool isPort = words[3] == "check-port";
        if (!server.Config.Check) return "health checks are not enabled on this server";
        IPAddress? ip = null;
        string? portText;
        if (isPort)
        {
            portText = Arg(words, 4);
            if (string.IsNullOrEmpty(portText)) return "set server <b>/<s> check-port requires a port.\n";
        }
        else
        {
            var addr = Arg(words, 4);
            if (string.IsNullOrEmpty(addr)) return "set server <b>/<s> check-addr requires an address and optionally a port.\n";
            if (!ServerAddressText.TryParseIp(addr, out var parsed)) return $"invalid addr '{addr}'";
            ip = parsed;
            portText = Arg(words, 5) == "port" ? Arg(words, 6) : null;
        }
        int? port = null;
        if (portText != null)
        {
            if (ParsePort(portText) is not { } p) return "provided port is not an integer";
            if (p is < 0 or > 65535) return "provided port is invalid";
            port = (int)p;
        }
        var r = await proxy.BackendActor!.Ask<AdminResult>(new BackendActor.SetCheckAddress(server.Name, ip, port), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Ok ? "" : r.Error + "\n";
    }

    /// <summary>haproxy's l2s-like port parse: digits only (a leading sign is taken), null when not an integer.</summary>
    internal static long? ParsePort(string text)
    {
        int i = text.Length > 0 && text[0] is '-' or '+' ? 1 : 0;
        if (i == text.Length) return null;
        for (int j = i; j < text.Length; j++) if (!char.IsAsciiDigit(text[j])) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : long.MaxValue;
    }

    /// <summary>'set maxconn server BE/SRV N': haproxy's parser (strtol) and texts; 0 removes the limit.</summary>
    public static async Task<string> SetMaxconn(CliContext ctx, string[] words)
    {
        if (Resolve(ctx, Arg(words, 3), out var error) is not { } found) return error;
        var text = Arg(words, 4);
        if (string.IsNullOrEmpty(text)) return "Require <maxconn>.\n";
        if (ParseMaxConn(text, out var v) is { } bad) return bad;
        var r = await found.Proxy.BackendActor!.Ask<AdminResult>(new BackendActor.SetServerMaxConn(found.Server.Name, v), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Ok ? "" : r.Error + "\n";
    }

    /// <summary>strtol as haproxy uses it for maxconn: leading blanks and a sign, digits, nothing after.</summary>
    public static string? ParseMaxConn(string text, out int value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && text[i] is ' ' or '\t') i++;
        int start = i;
        if (i < text.Length && text[i] is '-' or '+') i++;
        int digits = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i == digits) return "maxconn string empty or preceded by garbage";
        if (i != text.Length) return "Trailing garbage in maxconn string";
        long v = long.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : long.MaxValue;
        value = (int)v; // haproxy stores strtol's long in an int
        return null;
    }
}
