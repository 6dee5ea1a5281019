using System.Text;
using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>'set server BE/SRV agent up|down' and 'agent-addr|agent-port|agent-send', with haproxy 2.6's texts.</summary>
public static class AgentCommands
{
    private const string NoAgent = "agent checks are not enabled on this server";

    public static async Task<string> SetAgent(ProxyStats proxy, ServerRuntime server, string? state)
    {
        if (server.Agent is null) return NoAgent + ".\n";
        if (state is not ("up" or "down")) return "'set server <srv> agent' expects 'up' or 'down'.\n";
        var r = await proxy.BackendActor!.Ask<AdminResult>(new BackendActor.ServerAdmin(server.Name, state == "up" ? ServerAdminAction.AgentUp : ServerAdminAction.AgentDown), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Ok ? "" : r.Error + "\n";
    }

    public static async Task<string> SetAgentParameter(ProxyStats proxy, ServerRuntime server, string[] words)
    {
        if (server.Agent is null) return NoAgent;
        System.Net.IPAddress? ip = null;
        int? port = null;
        byte[]? send = null;
        string? arg = words.Length > 4 ? words[4] : null;
        switch (words[3])
        {
            case "agent-addr":
                if (string.IsNullOrEmpty(arg)) return "set server <b>/<s> agent-addr requires an address and optionally a port.\n";
                if (!ServerAddressText.TryParseIp(arg, out var parsed)) return $"invalid addr '{arg}'";
                ip = parsed;
                if (words.Length > 6 && words[5] == "port")
                {
                    if (Port(words[6], out var p) is { } bad) return bad;
                    port = p;
                }
                break;
            case "agent-port":
                if (string.IsNullOrEmpty(arg)) return "set server <b>/<s> agent-port requires a port.\n";
                if (Port(arg, out var ap) is { } error) return error;
                port = ap;
                break;
            default: // agent-send: the rest of the line, as one string (nothing: send nothing)
                send = Encoding.Latin1.GetBytes(arg ?? "");
                break;
        }
        var r = await proxy.BackendActor!.Ask<AdminResult>(new BackendActor.SetAgentTarget(server.Name, ip, port, send), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Ok ? "" : r.Error ?? "";
    }

    private static string? Port(string text, out int port)
    {
        port = 0;
        if (ServerCommands.ParsePort(text) is not { } p) return "provided port is not an integer";
        if (p is < 0 or > 65535) return "provided port is invalid";
        port = (int)p;
        return null;
    }
}
