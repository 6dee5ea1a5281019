namespace Lb.Tests.Node;

/// <summary>Small configurations shared by the node tests; valid for haproxy 2.6 as well.</summary>
internal static class Samples
{
    /// <summary>A frontend on a free loopback port (fresh each time: nodes really bind now).</summary>
    public static string Minimal =>
        $$"""
        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 30s

        frontend web
            bind 127.0.0.1:{{FreePort()}}
            default_backend app

        backend app
            server s1 127.0.0.1:18081

        """;

    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>The directory holding Lb.sln.</summary>
    public static string RepoRoot => Lb.Tests.Support.RepoPaths.Root;
}
