using System.Collections.Immutable;
using Lb.Config.Diagnostics;

namespace Lb.Config.Parsing;

/// <summary>
/// Options after the address on a 'bind' (or 'stats socket') line. Flags map to "", keywords
/// with a value to that value. Unknown options are errors, as in HAProxy.
/// </summary>
internal static class BindOptions
{
    // option -> number of value words it takes
    private static readonly Dictionary<string, int> Known = new(StringComparer.Ordinal)
    {
        ["accept-netscaler-cip"] = 1, ["accept-proxy"] = 0, ["allow-0rtt"] = 0, ["alpn"] = 1, ["backlog"] = 1,
        ["ca-file"] = 1, ["ca-ignore-err"] = 1, ["ca-sign-file"] = 1, ["ca-sign-pass"] = 1, ["ca-verify-file"] = 1,
        ["ciphers"] = 1, ["ciphersuites"] = 1, ["crl-file"] = 1, ["crt"] = 1, ["crt-ignore-err"] = 1, ["crt-list"] = 1,
        ["curves"] = 1, ["defer-accept"] = 0, ["ecdhe"] = 1, ["expose-fd"] = 1, ["force-sslv3"] = 0,
        ["force-tlsv10"] = 0, ["force-tlsv11"] = 0, ["force-tlsv12"] = 0, ["force-tlsv13"] = 0,
        ["generate-certificates"] = 0, ["gid"] = 1, ["group"] = 1, ["id"] = 1, ["interface"] = 1, ["level"] = 1,
        ["severity-output"] = 1, ["maxconn"] = 1, ["mode"] = 1, ["mss"] = 1, ["name"] = 1, ["namespace"] = 1,
        ["nice"] = 1, ["no-ca-names"] = 0, ["no-sslv3"] = 0, ["no-tls-tickets"] = 0, ["no-tlsv10"] = 0,
        ["no-tlsv11"] = 0, ["no-tlsv12"] = 0, ["no-tlsv13"] = 0, ["npn"] = 1, ["prefer-client-ciphers"] = 0,
        ["process"] = 1, ["proto"] = 1, ["quic-cc-algo"] = 1, ["quic-force-retry"] = 0, ["shards"] = 1, ["ssl"] = 0,
        ["ssl-max-ver"] = 1, ["ssl-min-ver"] = 1, ["strict-sni"] = 0, ["tcp-ut"] = 1, ["tfo"] = 0, ["thread"] = 1,
        ["tls-ticket-keys"] = 1, ["transparent"] = 0, ["uid"] = 1, ["user"] = 1, ["v4v6"] = 0, ["v6only"] = 0,
        ["verify"] = 1, ["sigalgs"] = 1, ["client-sigalgs"] = 1, ["ocsp-update"] = 1,
    };

    public static IEnumerable<string> Names => Known.Keys;

    public static ImmutableDictionary<string, string> Parse(ConfigLine l, int start, DiagnosticBag d, string owner)
    {
        var result = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (int i = start; i < l.Count; i++)
        {
            var opt = l[i];
            if (!Known.TryGetValue(opt, out var argc))
            {
                d.Alert(l.Location, opt, $"'{owner}' : unknown keyword '{opt}'{Suggest.OrPeriod(opt, Known.Keys)}");
                continue;
            }
            if (argc == 0) { result[opt] = ""; continue; }
            if (i + 1 >= l.Count)
            {
                d.Alert(l.Location, opt, $"'{owner}' : missing value for '{opt}' option.");
                break;
            }
            var value = l[++i];
            if (opt is "maxconn" or "backlog" or "id" or "mss" or "nice" && !int.TryParse(value, out _))
                d.Alert(l.Location, opt, $"'{owner}' : '{opt}' expects an integer argument, got '{value}'.");
            if (opt == "level" && value is not ("user" or "operator" or "admin"))
                d.Alert(l.Location, opt, $"'{owner}' : 'level' only supports 'user', 'operator', and 'admin' (got '{value}').");
            result[opt] = value;
        }
        return result.ToImmutable();
    }
}
