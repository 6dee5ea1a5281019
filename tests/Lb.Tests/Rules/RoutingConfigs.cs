using System.Text.RegularExpressions;
using Lb.Tests.Support;

namespace Lb.Tests.Rules;

/// <summary>
/// The configurations the routing differential tests run through haproxy and Lb: the seed
/// article's content-switching examples (07, 08, 09) with their addresses moved to loopback, and
/// a frontend exercising every action. "{fe:NAME}" stands for a frontend's port and
/// "{be:NAME}" for the address of the test server of backend NAME.
/// </summary>
internal static class RoutingConfigs
{
    /// <summary>Seed 07's 'reqirep' line, which haproxy 2.6 rejects, as Lb translates it.</summary>
    public const string Seed07Reqirep = @"reqirep ^Host:\ www.abc.com Host:\ abc.com";
    public const string Seed07Translated = @"http-request replace-header Host (?i)^www.abc.com(.*) abc.com\1";

    public static readonly string[] SeedFiles = ["07-l7-host.cfg", "08-l7-suffix.cfg", "09-ua-redirect.cfg"];

    /// <summary>A seed config with 'bind *:80' on its frontend's port and each backend's servers on its test server.</summary>
    public static string Seed(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.SeedConfigs, file));
        var lines = new List<string>();
        string? section = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var m = Regex.Match(line, @"^(frontend|backend)\s+(\S+)");
            if (m.Success) section = m.Groups[2].Value;
            if (line.Trim() == "bind *:80") line = $"    bind 127.0.0.1:{{fe:{section}}}";
            line = Regex.Replace(line, @"^(\s*server\s+\S+\s+)10\.0\.0\.\d+:80", $"$1{{be:{section}}}");
            lines.Add(line);
        }
        return string.Join('\n', lines);
    }

    public static readonly string[] SeedBackends =
        ["host-abc-com", "host-cn", "host-xyz-url-xxx", "default-servers", "php_server", "static_server", "b_yxpopo_com_pk", "club_pool"];

    public static readonly string[] RulesBackends = ["r_api", "r_default", "r_other"];

    /// <summary>A frontend with every action, valid for haproxy 2.6.</summary>
    public const string Rules = """
        defaults
            mode http
            timeout connect 2s
            timeout client 10s
            timeout server 10s
            timeout tarpit 200ms

        frontend rules
            bind 127.0.0.1:{fe:rules}
            monitor-uri /health-lb
            acl is_admin path_beg /admin
            acl has_token hdr(x-token) -m found
            acl api path_beg /api
            acl api path_beg /v1/api
            http-request deny if is_admin !has_token
            http-request deny deny_status 429 if { path /limited }
            http-request deny status 400 content-type text/plain string nope if { path /denystr }
            http-request tarpit if { path /tarpit }
            http-request return status 201 content-type text/plain string "created here" hdr X-Rule return hdr X-Src %[src] if { path /ret }
            http-request return status 204 if { path /empty }
            http-request return status 418 if { path /teapot }
            http-request auth realm Restricted if { path_beg /private } !{ hdr(authorization) -m found }
            http-request auth if { path_beg /private2 }
            http-request auth realm Members if { path_beg /members } !{ http_auth(members) }
            http-request set-header X-Group %[http_auth_group(members)] if { http_auth_group(members) admins }
            http-request redirect location /new-home code 301 if { path /old-home }
            http-request redirect location /r303 code 303 if { path /r303 }
            http-request redirect location /r307 code 307 if { path /r307 }
            http-request redirect location /r308 code 308 if { path /r308 }
            http-request redirect location http://%[req.hdr(host)]/moved%[path] if { path_beg /fmt }
            http-request redirect prefix https://secure.example.com drop-query if { path_beg /secure }
            http-request redirect prefix https://keep.example.com if { path_beg /keepq }
            http-request redirect scheme https append-slash set-cookie SEEN=1 if { path_beg /tls }
            http-request redirect scheme https clear-cookie OLD= if { path_beg /clear }
            http-request allow if { path /allowed }
            http-request set-header X-Client-IP %[src]
            http-request add-header X-Via lb
            http-request add-header X-Via again
            http-request del-header X-Remove-Me
            http-request del-header x-drop- -m beg
            http-request replace-header X-Replace (.*)-old \1-new
            http-request replace-value X-List ^a$ A
            http-request set-header X-Host-Lower %[req.hdr(host),lower]
            http-request set-header X-Missing %[req.hdr(x-nothing)]
            http-request set-header X-Quoted %{+Q}[req.hdr(x-token)]
            http-request set-header X-Ua-Mobile yes if { hdr_reg(User-Agent) -i iphone android }
            http-request set-path /v2%[path] if api
            http-request set-query debug=1 if { path_beg /q }
            http-request set-method PUT if { hdr(x-method) put }
            http-request set-uri /rewritten?u=1 if { path /seturi }
            http-request replace-path /old/(.*) /new/\1 if { path_beg /old/ }
            http-request replace-uri ^/ru/(.*) /uri/\1
            redirect location /moved code 302 if { path /moved-old }
            redirect prefix / if { path_beg /self }
            redirect prefix http://pfx.example drop-query append-slash if { path_beg /pfx }
            http-response set-header X-Resp fe
            http-response add-header X-Status %[status]
            http-response del-header X-Powered
            http-response replace-value X-List-Res ^b$ B
            http-response set-status 299 reason Fine if { status 200 } { res.hdr(x-server) r_other }
            http-response set-status 202 if { res.hdr(x-server) r_default } { res.hdr(x-set-status) -m found }
            http-response deny if { res.hdr(x-deny-me) -m found }
            http-response set-status 204 if { res.hdr(x-to204) -m found }
            use_backend r_api if api
            use_backend r_%[req.hdr(x-dyn)] if { hdr(x-dyn) -m found }
            default_backend r_default

        backend r_api
            http-request set-header X-Backend api
            http-response set-header X-Be-Resp api
            server a {be:r_api}

        backend r_default
            server d {be:r_default}

        userlist members
            group admins users alice
            user alice password $6$abcdefgh$Z7KfoKnKTSZrzo5VZ0YubGLQOj9ov6sHo9TmE3zIU/LHKhpE30zCnZ0mcIXYf9r9rQ4DYaXoxAFSPFlcWdxjB.
            user bob insecure-password plain

        backend r_other
            http-request deny if { path /deny-in-backend }
            http-request redirect location /from-backend if { path /redirect-in-backend }
            server o {be:r_other}
        """;
}
