using Lb.Actors.Backends;
using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>'set server BE/SRV agent|agent-addr|agent-port|agent-send': Lb runs no agent checks yet, haproxy's texts for a server without one.</summary>
public static class AgentCommands
{
    public static Task<string> SetAgent(ProxyStats proxy, ServerRuntime server, string? state)
    {
        _ = proxy; _ = server; _ = state;
        return Task.FromResult("agent checks are not enabled on this server.\n");
    }

    public static Task<string> SetAgentParameter(ProxyStats proxy, ServerRuntime server, string[] words)
    {
        _ = proxy; _ = server; _ = words;
        return Task.FromResult("agent checks are not enabled on this server");
    }
}
