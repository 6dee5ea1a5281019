using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Keywords;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>The 'global' section: process settings, logging, the stats socket, tune.*.</summary>
internal sealed class GlobalParser : ISectionParser
{
    private readonly DiagnosticBag _d;
    private GlobalSettings _g = new();
    private readonly List<LogTarget> _logs = new();
    private readonly List<StatsSocket> _sockets = new();
    private readonly List<Directive> _other = new();
    private readonly Dictionary<string, string> _tune = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public GlobalParser(DiagnosticBag diags) => _d = diags;

    public void Parse(ConfigLine l)
    {
        var at = l.Location;
        var kw = l.Keyword;
        if (KnownGlobalKeywords.IsTune(kw))
        {
            if (l.Count < 2) { _d.Alert(at, kw, $"'{kw}' expects an argument."); return; }
            _tune[kw] = string.Join(' ', l.Words.Skip(1));
            return;
        }
        switch (kw)
        {
            case "maxconn": Once(l); Int(l, 1, int.MaxValue, v => _g = _g with { MaxConn = v }); break;
            case "daemon": _g = _g with { Daemon = true }; break;
            case "chroot": Once(l); Str(l, v => _g = _g with { Chroot = v }); break;
            case "user": Once(l); Str(l, v => _g = _g with { User = v }); break;
            case "group": Once(l); Str(l, v => _g = _g with { Group = v }); break;
            case "uid": Once(l); Int(l, 0, int.MaxValue, v => _g = _g with { Uid = v }); break;
            case "gid": Once(l); Int(l, 0, int.MaxValue, v => _g = _g with { Gid = v }); break;
            case "nbthread": Once(l); Int(l, 1, 4096, v => _g = _g with { NbThread = v }); break;
            case "nbproc": Int(l, 1, 4096, v => NbProc(l, v)); break;
            case "pidfile": Once(l); Str(l, v => _g = _g with { PidFile = v }); break;
            case "ulimit-n": Once(l); Int(l, 1, int.MaxValue, v => _g = _g with { UlimitN = v }); break;
            case "node": Str(l, v => _g = _g with { NodeName = v }); break;
            case "description": _g = _g with { Description = string.Join(' ', l.Words.Skip(1)) }; break;
            case "log-tag": Str(l, v => _g = _g with { LogTag = v }); break;
            case "spread-checks": Int(l, 0, 50, v => _g = _g with { SpreadChecks = v }); break;
            case "log":
                if (l[1] == "global") { _d.Alert(at, kw, "'log global' is not allowed in the 'global' section."); break; }
                if (LogParser.TryParse(l, _d) is { } target) _logs.Add(target);
                break;
            case "stats": Stats(l); break;
            default:
                if (KnownGlobalKeywords.Names.Contains(kw))
                    _other.Add(new Directive(l.Words.ToImmutableArray(), at));
                else
                    _d.Alert(at, kw, $"unknown keyword '{kw}' in 'global' section{Suggest.DidYouMean(kw, KnownGlobalKeywords.Names)}");
                break;
        }
    }

    private void NbProc(ConfigLine l, int v)
    {
        _g = _g with { NbProc = v, NbThread = _g.NbThread ?? (v > 1 ? v : null) };
        _d.Warn(l.Location, "nbproc",
            $"'nbproc {v}' is a 1.x keyword (removed in HAProxy 2.5): translated to 'nbthread {v}'. Lb runs one process per node; add nodes to the cluster to scale out.");
    }

    private void Stats(ConfigLine l)
    {
        var at = l.Location;
        switch (l[1])
        {
            case "socket":
                if (l[2].Length == 0) { _d.Alert(at, "stats socket", "'stats socket' requires a path or an address"); return; }
                var list = new List<Endpoint>();
                var err = AddressParser.TryParseBind(l[2], list);
                if (err != null) { _d.Alert(at, "stats socket", $"'stats socket' : {err}"); return; }
                var opts = BindOptions.Parse(l, 3, _d, "stats socket");
                _sockets.Add(new StatsSocket(list[0], opts, at));
                break;
            case "timeout":
                var terr = TimeParser.TryParse(l[2], "stats timeout", out var t);
                if (terr != null) _d.Alert(at, "stats timeout", terr);
                else if (t == TimeSpan.Zero) _d.Alert(at, "stats timeout", "'stats timeout' expects a positive value");
                else _g = _g with { StatsTimeout = t };
                break;
            case "maxconn":
                if (IntParser.TryParseInRange(l[2], 1, int.MaxValue, out var m)) _g = _g with { StatsMaxConn = m };
                else _d.Alert(at, "stats maxconn", "'stats maxconn' expects a positive integer");
                break;
            case "bind-process":
                _other.Add(new Directive(l.Words.ToImmutableArray(), at));
                _d.Warn(at, "stats bind-process", "'stats bind-process' is ignored: Lb runs one process per node.");
                break;
            default:
                _d.Alert(at, "stats", "'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got '" + l[1] + "')");
                break;
        }
    }

    private void Once(ConfigLine l)
    {
        if (!_seen.Add(l.Keyword))
            _d.Warn(l.Location, l.Keyword, $"'{l.Keyword}' already specified. Continuing.");
    }

    private void Int(ConfigLine l, int min, int max, Action<int> set)
    {
        if (l[1].Length == 0) _d.Alert(l.Location, l.Keyword, $"'{l.Keyword}' expects an integer argument.");
        else if (!IntParser.TryParseInRange(l[1], min, max, out var v))
            _d.Alert(l.Location, l.Keyword, $"'{l.Keyword}' expects an integer between {min} and {max}, got '{l[1]}'.");
        else set(v);
    }

    private void Str(ConfigLine l, Action<string> set)
    {
        if (l[1].Length == 0) _d.Alert(l.Location, l.Keyword, $"'{l.Keyword}' expects an argument.");
        else set(l[1]);
    }

    public GlobalSettings Build() => _g with
    {
        Logs = _logs.ToImmutableArray(),
        StatsSockets = _sockets.ToImmutableArray(),
        OtherDirectives = _other.ToImmutableArray(),
        Tune = _tune.ToImmutableDictionary(),
    };
}
