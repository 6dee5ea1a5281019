namespace Lb.Tests.DataPlane;

/// <summary>haproxy.cfg texts the tests share (valid for haproxy 2.6 and Lb alike).</summary>
public static class Configs
{
    /// <summary>
    /// mode http: frontend 'fe' on <paramref name="fe"/> to backend 'be' with the given server
    /// lines; extra lines go into the frontend / backend sections.
    /// </summary>
    public static string Http(int fe, string servers, string frontendExtra = "", string backendExtra = "", string moreSections = "") => $"""
        defaults
            mode http
            timeout connect 2s
            timeout client 20s
            timeout server 20s

        frontend fe
            bind 127.0.0.1:{fe}
        {frontendExtra}
            default_backend be

        backend be
        {backendExtra}
        {servers}

        {moreSections}

        """;

    public static string Server(string name, TestServer s) => $"    server {name} {s.Address}";
}
