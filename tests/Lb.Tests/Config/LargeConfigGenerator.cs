using System.Globalization;
using System.Text;

namespace Lb.Tests.Config;

/// <summary>
/// Builds a large, valid haproxy.cfg: global and defaults sections, <c>backends</c> backends of
/// <c>serversPerBackend</c> health-checked servers each, and one frontend routing to every backend
/// with an acl/use_backend pair. With the defaults (1,000 backends, 4 servers) the text is 10,021
/// lines. Shared (as a linked file) with bench/ConfigParse.
/// </summary>
public static class LargeConfigGenerator
{
    public const int DefaultBackends = 1_000;
    public const int DefaultServersPerBackend = 4;

    public static string BackendName(int i) => string.Create(CultureInfo.InvariantCulture, $"be_{i:D4}");

    public static string Generate(int backends = DefaultBackends, int serversPerBackend = DefaultServersPerBackend)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(backends * (serversPerBackend + 6) * 80);
        void Line(string s) => sb.Append(s).Append('\n');

        Line("global");
        Line("    maxconn 50000");
        Line("    log 127.0.0.1:514 local0 info");
        Line("    stats socket /tmp/lb-large.sock level admin");
        Line("");
        Line("defaults");
        Line("    mode http");
        Line("    log global");
        Line("    option httplog");
        Line("    option dontlognull");
        Line("    retries 3");
        Line("    timeout connect 5s");
        Line("    timeout client 30s");
        Line("    timeout server 30s");
        Line("    timeout check 2s");
        Line("");
        Line("frontend fe_main");
        Line("    bind 127.0.0.1:8080");
        Line("    bind 127.0.0.1:8443");
        Line("    option forwardfor");
        for (int b = 0; b < backends; b++)
        {
            var name = BackendName(b);
            Line(string.Create(inv, $"    acl host_{b:D4} hdr(host) -i app{b}.example.com"));
            Line(string.Create(inv, $"    use_backend {name} if host_{b:D4}"));
        }
        Line(string.Create(inv, $"    default_backend {BackendName(0)}"));

        for (int b = 0; b < backends; b++)
        {
            Line(string.Create(inv, $"backend {BackendName(b)}"));
            Line(b % 3 == 0 ? "    balance leastconn" : "    balance roundrobin");
            Line("    option httpchk GET /health");
            Line("    http-check expect status 200");
            for (int s = 0; s < serversPerBackend; s++)
            {
                // 10.x.y.z: unique per server for up to 65,536 backends of up to 250 servers.
                Line(string.Create(inv,
                    $"    server s{s + 1} 10.{b / 256 % 256}.{b % 256}.{s + 1}:8080 check inter 2s fastinter 500ms downinter 5s rise 2 fall 3 weight {10 + s} maxconn 500"));
            }
        }
        return sb.ToString();
    }
}
