using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>
/// The options after a server address. Modelled options update the record; other options that
/// HAProxy 2.6 knows go to <see cref="Server.OtherOptions"/>; anything else is an error.
/// Returns null when the line had an error (the server is then left out).
/// </summary>
internal static class ServerOptionParser
{
    // Known options the model does not break out: name -> number of value words.
    private static readonly Dictionary<string, int> Others = new(StringComparer.Ordinal)
    {
        ["agent-addr"] = 1, ["agent-check"] = 0, ["agent-inter"] = 1, ["agent-port"] = 1, ["agent-send"] = 1,
        ["allow-0rtt"] = 0, ["alpn"] = 1, ["ca-file"] = 1, ["check-alpn"] = 1, ["check-proto"] = 1,
        ["check-sni"] = 1, ["check-ssl"] = 0, ["check-via-socks4"] = 0, ["ciphers"] = 1, ["ciphersuites"] = 1,
        ["crl-file"] = 1, ["crt"] = 1, ["curves"] = 1, ["enabled"] = 0, ["force-sslv3"] = 0, ["force-tlsv10"] = 0,
        ["force-tlsv11"] = 0, ["force-tlsv12"] = 0, ["force-tlsv13"] = 0, ["init-addr"] = 1, ["log-proto"] = 1,
        ["max-reuse"] = 1, ["namespace"] = 1, ["no-agent-check"] = 0, ["no-check-ssl"] = 0,
        ["no-send-proxy-v2"] = 0, ["no-send-proxy-v2-ssl"] = 0, ["no-send-proxy-v2-ssl-cn"] = 0, ["no-ssl"] = 0,
        ["no-ssl-reuse"] = 0, ["no-sslv3"] = 0, ["no-tls-tickets"] = 0, ["no-tlsv10"] = 0, ["no-tlsv11"] = 0,
        ["no-tlsv12"] = 0, ["no-tlsv13"] = 0, ["no-verifyhost"] = 0, ["no-tfo"] = 0, ["non-stick"] = 0, ["npn"] = 1,
        ["pool-low-conn"] = 1, ["pool-max-conn"] = 1, ["pool-purge-delay"] = 1, ["proto"] = 1,
        ["proxy-v2-options"] = 1, ["redir"] = 1, ["resolve-net"] = 1, ["resolve-opts"] = 1, ["resolve-prefer"] = 1,
        ["resolvers"] = 1, ["send-proxy-v2"] = 0, ["send-proxy-v2-ssl"] = 0, ["send-proxy-v2-ssl-cn"] = 0,
        ["shard"] = 1, ["sigalgs"] = 1, ["client-sigalgs"] = 1, ["sni"] = 1, ["socks4"] = 1, ["ssl"] = 0,
        ["ssl-max-ver"] = 1, ["ssl-min-ver"] = 1, ["ssl-reuse"] = 0, ["stick"] = 0, ["tcp-ut"] = 1, ["tfo"] = 0,
        ["tls-tickets"] = 0, ["track"] = 1, ["verify"] = 1, ["verifyhost"] = 1, ["ws"] = 1, ["interface"] = 1,
        ["usesrc"] = 1,
    };

    private static readonly string[] Modelled =
    {
        "check", "no-check", "inter", "fastinter", "downinter", "rise", "fall", "port", "addr", "weight", "backup",
        "no-backup", "disabled", "maxconn", "minconn", "maxqueue", "cookie", "slowstart", "observe", "error-limit",
        "on-error", "on-marked-down", "on-marked-up", "source", "id", "send-proxy", "no-send-proxy", "check-send-proxy",
    };

    public static IEnumerable<string> AllNames => Modelled.Concat(Others.Keys);

    public static Server? Apply(Server s, ConfigLine l, int i, string who, DiagnosticBag d)
    {
        bool ok = true;
        var others = s.OtherOptions.ToBuilder();
        var opt = "";
        void Fail(string message)
        {
            d.Alert(l.Location, opt, $"'{who}' : {message}");
            ok = false;
        }

        for (; i < l.Count; i++)
        {
            opt = l[i];
            string Arg() => l[i + 1];
            bool NeedArg()
            {
                if (l[i + 1].Length > 0) return true;
                Fail($"'{opt}' expects an argument.");
                return false;
            }
            TimeSpan? Delay()
            {
                if (!NeedArg()) return null;
                var err = TimeParser.TryParse(Arg(), opt, out var t);
                i++;
                if (err != null) { Fail(err); return null; }
                if (t <= TimeSpan.Zero) { Fail($"invalid value '{l[i]}' for '{opt}' : must be a positive delay."); return null; }
                return t;
            }
            int? Int(int min, int max)
            {
                if (!NeedArg()) return null;
                i++;
                if (IntParser.TryParseInRange(l[i], min, max, out var v)) return v;
                Fail($"'{opt}' expects an integer between {min} and {max}, got '{l[i]}'.");
                return null;
            }

            switch (opt)
            {
                case "check": s = s with { Check = true }; break;
                case "no-check": s = s with { Check = false }; break;
                case "backup": s = s with { Backup = true }; break;
                case "no-backup": s = s with { Backup = false }; break;
                case "disabled": s = s with { Disabled = true }; break;
                case "send-proxy": s = s with { SendProxy = true }; break;
                case "no-send-proxy": s = s with { SendProxy = false }; break;
                case "check-send-proxy": s = s with { CheckSendProxy = true }; break;
                case "inter": if (Delay() is { } inter) s = s with { Inter = inter }; break;
                case "fastinter": if (Delay() is { } fi) s = s with { FastInter = fi }; break;
                case "downinter": if (Delay() is { } di) s = s with { DownInter = di }; break;
                case "slowstart":
                    if (!NeedArg()) break;
                    var sserr = TimeParser.TryParse(l[++i], "slowstart", out var ss);
                    if (sserr != null) Fail(sserr); else s = s with { SlowStart = ss };
                    break;
                case "rise": if (Int(1, int.MaxValue) is { } rise) s = s with { Rise = rise }; break;
                case "fall": if (Int(1, int.MaxValue) is { } fall) s = s with { Fall = fall }; break;
                case "port": if (Int(1, 65535) is { } port) s = s with { CheckPort = port }; break;
                case "maxconn": if (Int(0, int.MaxValue) is { } mc) s = s with { MaxConn = mc }; break;
                case "minconn": if (Int(0, int.MaxValue) is { } mn) s = s with { MinConn = mn }; break;
                case "maxqueue": if (Int(0, int.MaxValue) is { } mq) s = s with { MaxQueue = mq }; break;
                case "error-limit": if (Int(1, int.MaxValue) is { } el) s = s with { ErrorLimit = el }; break;
                case "id": if (Int(1, int.MaxValue) is { } id) s = s with { Id = id }; break;
                case "weight":
                    if (!NeedArg()) break;
                    i++;
                    if (IntParser.TryParseInRange(l[i], 0, 256, out var w)) s = s with { Weight = w };
                    else Fail($"weight of server {s.Name} is not within 0 and 256 ({l[i]}).");
                    break;
                case "cookie":
                    if (NeedArg()) s = s with { Cookie = l[++i] };
                    break;
                case "addr":
                    if (!NeedArg()) break;
                    var aerr = AddressParser.TryParseOptionalPort(l[++i], out _);
                    if (aerr != null) Fail($"'addr' : {aerr}"); else s = s with { CheckAddr = l[i] };
                    break;
                case "source":
                    if (!NeedArg()) break;
                    var srcErr = ParseSource(l[++i]);
                    if (srcErr != null) Fail($"'source' : {srcErr}"); else s = s with { Source = l[i] };
                    break;
                case "observe":
                    if (!NeedArg()) break;
                    i++;
                    ObserveMode? obs = l[i] switch { "layer4" => ObserveMode.Layer4, "layer7" => ObserveMode.Layer7, "none" => ObserveMode.None, _ => null };
                    if (obs is null) Fail($"'observe' expects one of 'none', 'layer4', 'layer7' but got '{l[i]}'");
                    else s = s with { Observe = obs.Value };
                    break;
                case "on-error":
                    if (!NeedArg()) break;
                    i++;
                    OnErrorAction? act = l[i] switch
                    {
                        "fastinter" => OnErrorAction.FastInter, "fail-check" => OnErrorAction.FailCheck,
                        "sudden-death" => OnErrorAction.SuddenDeath, "mark-down" => OnErrorAction.MarkDown, _ => null,
                    };
                    if (act is null) Fail($"'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death' or 'mark-down' but got '{l[i]}'");
                    else s = s with { OnError = act.Value };
                    break;
                case "on-marked-down":
                    if (!NeedArg()) break;
                    if (l[++i] == "shutdown-sessions") s = s with { OnMarkedDownShutdownSessions = true };
                    else Fail($"'on-marked-down' expects 'shutdown-sessions' but got '{l[i]}'");
                    break;
                case "on-marked-up":
                    if (!NeedArg()) break;
                    if (l[++i] == "shutdown-backup-sessions") s = s with { OnMarkedUpShutdownBackupSessions = true };
                    else Fail($"'on-marked-up' expects 'shutdown-backup-sessions' but got '{l[i]}'");
                    break;
                default:
                    if (Others.TryGetValue(opt, out var argc))
                    {
                        if (argc == 1 && !NeedArg()) break;
                        others[opt] = argc == 1 ? l[++i] : "";
                        break;
                    }
                    Fail($"unknown keyword '{opt}'{Suggest.DidYouMean(opt, AllNames)}");
                    break;
            }
        }
        return ok ? s with { OtherOptions = others.ToImmutable() } : null;
    }

    // source ADDR[:PORT[-PORT]]
    private static string? ParseSource(string text)
    {
        var colon = text.LastIndexOf(':');
        var bracketed = text.StartsWith('[');
        string host = text, ports = "";
        if (colon >= 0 && (!text.Contains("::") || bracketed))
        {
            host = text[..colon];
            ports = text[(colon + 1)..];
        }
        var err = AddressParser.TryParseOptionalPort(host, out _);
        if (err != null) return err;
        if (ports.Length == 0) return null;
        var dash = ports.IndexOf('-');
        var lo = dash < 0 ? ports : ports[..dash];
        if (!IntParser.TryParseInRange(lo, 1, 65535, out var low)) return $"invalid source port '{lo}'";
        if (dash >= 0 && (!IntParser.TryParseInRange(ports[(dash + 1)..], low, 65535, out _)))
            return $"invalid source port range '{ports}'";
        return null;
    }
}
