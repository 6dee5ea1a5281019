using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>One runtime-API connection's state: its level, prompt mode and idle timeout.</summary>
public sealed class CliContext
{
    public CliContext(NodeStats node, CliLevel level, TimeSpan timeout, IReadOnlyList<SocketInfo> sockets)
    {
        Node = node;
        Level = level;
        Timeout = timeout;
        Sockets = sockets;
    }

    public NodeStats Node { get; }
    public CliLevel Level { get; set; }
    public bool Prompt { get; set; }
    public bool Quit { get; set; }

    /// <summary>The payload of the line being run (a line ending with "&lt;&lt;" is followed by lines up to an empty one), else null.</summary>
    public string? Payload { get; set; }

    /// <summary>'stats timeout', changed for this connection by 'set timeout cli'.</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>The node's stats sockets ('show cli sockets').</summary>
    public IReadOnlyList<SocketInfo> Sockets { get; }

    /// <summary>How long an admin change may wait for the owning actor.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
}

/// <summary>A bound stats socket as 'show cli sockets' lists it.</summary>
public sealed record SocketInfo(string Address, CliLevel Level);
