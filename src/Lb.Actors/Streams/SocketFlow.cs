using System.Net.Sockets;
using Akka.IO;
using Akka.Streams.Dsl;

namespace Lb.Actors.Streams;

/// <summary>Factory for the byte flow over a connected socket (see <see cref="SocketStage"/>).</summary>
public static class SocketFlow
{
    /// <summary>
    /// A flow that writes its input to <paramref name="socket"/> and emits what it reads from it.
    /// The flow takes ownership of the socket and can be materialized once. The materialized task
    /// completes when the socket is closed (both directions done, or a deliberate abort) and faults
    /// when the connection ended in an error (upstream failure, socket error, abrupt termination).
    /// </summary>
    public static Flow<ByteString, ByteString, Task> Create(Socket socket, SocketSettings settings) =>
        Create(socket, settings, activity: null);

    /// <inheritdoc cref="Create(Socket, SocketSettings)"/>
    /// <param name="activity">updated on every completed read/write; lets a session implement idle timeouts</param>
    public static Flow<ByteString, ByteString, Task> Create(Socket socket, SocketSettings settings, SocketActivity? activity) =>
        Flow.FromGraph(new SocketStage(socket, settings, activity));

    /// <summary><see cref="Create(Socket, SocketSettings)"/> with <see cref="SocketSettings.Default"/>.</summary>
    public static Flow<ByteString, ByteString, Task> Create(Socket socket) => Create(socket, SocketSettings.Default);
}
