namespace Lb.Config.Model;

/// <summary>Every 'timeout X' of a proxy; null means not set (HAProxy's "infinite" or default).</summary>
public sealed record Timeouts
{
    public TimeSpan? Connect { get; init; }
    public TimeSpan? Client { get; init; }
    public TimeSpan? Server { get; init; }
    public TimeSpan? Queue { get; init; }
    public TimeSpan? HttpRequest { get; init; }
    public TimeSpan? HttpKeepAlive { get; init; }
    public TimeSpan? Tunnel { get; init; }
    public TimeSpan? ClientFin { get; init; }
    public TimeSpan? ServerFin { get; init; }
    public TimeSpan? Check { get; init; }
    public TimeSpan? Tarpit { get; init; }

    public static readonly IReadOnlyList<string> Names = new[]
    {
        "connect", "client", "server", "queue", "http-request", "http-keep-alive", "tunnel",
        "client-fin", "server-fin", "check", "tarpit",
    };

    public Timeouts With(string name, TimeSpan value) => name switch
    {
        "connect" => this with { Connect = value },
        "client" => this with { Client = value },
        "server" => this with { Server = value },
        "queue" => this with { Queue = value },
        "http-request" => this with { HttpRequest = value },
        "http-keep-alive" => this with { HttpKeepAlive = value },
        "tunnel" => this with { Tunnel = value },
        "client-fin" => this with { ClientFin = value },
        "server-fin" => this with { ServerFin = value },
        "check" => this with { Check = value },
        "tarpit" => this with { Tarpit = value },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown timeout"),
    };
}
