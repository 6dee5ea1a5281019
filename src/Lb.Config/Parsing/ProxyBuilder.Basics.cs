using System.Collections.Immutable;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>Simple proxy keywords: mode, bind, limits, timeouts, logging, backend choice, errors.</summary>
internal sealed partial class ProxyBuilder
{
    public void ParseMode(ConfigLine l)
    {
        ProxyMode? mode = l[1] switch { "http" => ProxyMode.Http, "tcp" => ProxyMode.Tcp, "health" => ProxyMode.Health, _ => null };
        if (mode is null) { D.Alert(l.Location, "mode", $"unknown proxy mode '{l[1]}'."); return; }
        if (mode == ProxyMode.Health)
            D.Warn(l.Location, "mode", "'mode health' doesn't exist anymore (removed in HAProxy 2.4). Please use 'http-request return status 200' instead.");
        P = P with { Mode = mode.Value };
    }

    public void ParseBind(ConfigLine l)
    {
        if (l[1].Length == 0)
        {
            D.Alert(l.Location, "bind", $"'bind' expects {{<path>|[addr1]:port1[-end1]}}{{,[addr]:port[-end]}}... as arguments.");
            return;
        }
        var endpoints = new List<Endpoint>();
        var err = AddressParser.TryParseBind(l[1], endpoints);
        if (err != null) { D.Alert(l.Location, "bind", $"'bind {l[1]}' : {err}"); return; }
        var opts = BindOptions.Parse(l, 2, D, $"bind {l[1]}");
        Binds.Add(new Bind(endpoints.ToImmutableArray(), opts, l.Location));
    }

    public void ParseMaxConn(ConfigLine l)
    {
        if (PositiveInt(l, 1, 0) is { } v) P = P with { MaxConn = v };
    }

    public void ParseFullConn(ConfigLine l)
    {
        if (PositiveInt(l, 1, 0) is { } v) P = P with { FullConn = v };
    }

    public void ParseRetries(ConfigLine l)
    {
        if (PositiveInt(l, 1, 0) is { } v) P = P with { Retries = v };
    }

    public void ParseId(ConfigLine l)
    {
        if (PositiveInt(l, 1, 1) is { } v) P = P with { Id = v };
    }

    public void ParseRateLimit(ConfigLine l)
    {
        if (l[1] != "sessions") { D.Alert(l.Location, "rate-limit", $"'rate-limit' only supports 'sessions' (got '{l[1]}')."); return; }
        if (PositiveInt(l, 2, 0) is { } v) P = P with { RateLimitSessions = v };
    }

    /// <summary>Integer argument at index i, at least min; alerts and returns null otherwise.</summary>
    public int? PositiveInt(ConfigLine l, int i, int min)
    {
        if (IntParser.TryParse(l[i], out var v) && v >= min) return v;
        var what = string.Join(' ', l.Words.Take(i));
        D.Alert(l.Location, l.Keyword, l[i].Length == 0
            ? $"'{what}' expects an integer argument."
            : $"'{what}' expects an integer argument >= {min}, got '{l[i]}'.");
        return null;
    }

    public void ParseTimeout(ConfigLine l)
    {
        var name = l[1];
        // 'timeout clitimeout' style aliases that 1.x accepted
        name = name switch { "srvtimeout" => "server", "clitimeout" => "client", "contimeout" => "connect", _ => name };
        if (!Timeouts.Names.Contains(name))
        {
            D.Alert(l.Location, "timeout",
                $"'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got '{l[1]}'){Suggest.DidYouMean(l[1], Timeouts.Names)}");
            return;
        }
        if (!TimeoutAllowedHere(name, l)) return;
        if (l[2].Length == 0) { D.Alert(l.Location, "timeout", $"'timeout {name}' expects an integer value (in milliseconds)"); return; }
        var err = TimeParser.TryParse(l[2], "timeout " + name, out var value);
        if (err != null) { D.Alert(l.Location, "timeout", err); return; }
        if (l[3].Length > 0) { D.Alert(l.Location, "timeout", $"'timeout {name}' : unexpected extra argument '{l[3]}'"); return; }
        P = P with { Timeouts = P.Timeouts.With(name, value) };
    }

    private bool TimeoutAllowedHere(string name, ConfigLine l)
    {
        bool frontendOnly = name is "client" or "client-fin" or "http-request" or "http-keep-alive";
        bool backendOnly = name is "server" or "server-fin" or "connect" or "queue" or "check" or "tunnel";
        if (P.Kind == Model.SectionKind.Defaults || P.Kind == Model.SectionKind.Listen) return true;
        if (backendOnly && !P.IsBackend || frontendOnly && name is "client" or "client-fin" && !P.IsFrontend)
        {
            D.Warn(l.Location, "timeout", $"'timeout {name}' ignored because {Describe()} has no {(backendOnly ? "backend" : "frontend")} capability.");
            return false;
        }
        return true;
    }

    public void ParseLog(ConfigLine l)
    {
        if (l[1] == "global") { P = P with { LogGlobal = true }; return; }
        if (LogParser.TryParse(l, D) is { } target) Logs.Add(target);
    }

    public void ParseLogFormat(ConfigLine l)
    {
        if (l[1].Length == 0) { D.Alert(l.Location, "log-format", "'log-format' expects a format string as argument."); return; }
        if (l.Count > 2)
            D.Alert(l.Location, "log-format", "'log-format' expects only one argument, possibly quoted; use \\ to escape spaces.");
        // Like 'option httplog' and 'option tcplog', the last log format given wins.
        foreach (var name in new[] { "httplog", "tcplog" })
        {
            Options.Remove(name);
            OptionArgs.Remove(name);
        }
        P = P with { LogFormat = l[1] };
    }

    public void ParseDefaultBackend(ConfigLine l)
    {
        if (l[1].Length == 0) { D.Alert(l.Location, "default_backend", "'default_backend' expects a backend name."); return; }
        P = P with { DefaultBackend = l[1], DefaultBackendLocation = l.Location };
    }

    public void ParseUseBackend(ConfigLine l)
    {
        if (l[1].Length == 0 || l[1] is "if" or "unless")
        {
            D.Alert(l.Location, "use_backend", "'use_backend' expects a backend name.");
            return;
        }
        var cond = l.Count > 2 ? ParseCondition(l, 2, "switching rule") : null;
        if (l.Count > 2 && cond is null) return;
        UseBackends.Add(new BackendSwitch(l[1], cond, l.Location));
    }

    public void ParseUseServer(ConfigLine l)
    {
        if (l[1].Length == 0) { D.Alert(l.Location, "use-server", "'use-server' expects a server name."); return; }
        if (l[2] is not ("if" or "unless")) { D.Alert(l.Location, "use-server", "'use-server' requires either 'if' or 'unless' followed by a condition."); return; }
        var cond = ParseCondition(l, 2, "server switching rule");
        if (cond is null) return;
        UseServers.Add(new ServerSwitch(l[1], cond, l.Location));
    }

    private static readonly int[] ErrorCodes = { 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504 };

    public void ParseErrorFile(ConfigLine l)
    {
        if (l[1].Length == 0 || l[2].Length == 0) { D.Alert(l.Location, "errorfile", "'errorfile' expects <code> and <file> as arguments."); return; }
        if (!IntParser.TryParse(l[1], out var code) || Array.IndexOf(ErrorCodes, code) < 0)
        {
            D.Alert(l.Location, "errorfile", $"status code '{l[1]}' not handled.");
            return;
        }
        if (!File.Exists(l[2]))
        {
            D.Alert(l.Location, "errorfile", $"error opening file '{l[2]}' for custom error message <{code}>.");
            return;
        }
        ErrorFiles[code] = l[2];
    }

    public void ParseMonitorUri(ConfigLine l)
    {
        if (l[1].Length == 0) { D.Alert(l.Location, "monitor-uri", "'monitor-uri' expects an URI."); return; }
        P = P with { MonitorUri = l[1] };
    }
}
