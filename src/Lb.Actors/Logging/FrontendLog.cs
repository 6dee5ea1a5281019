using System.Net;
using System.Text;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Config.Model;

namespace Lb.Actors.Logging;

/// <summary>
/// The traffic log of one frontend (or listen section) that has log targets: its compiled
/// format (option httplog [clf], option tcplog, log-format, or none: haproxy's "Connect from"
/// line at accept), its captures and its filters (dontlognull, dontlog-normal,
/// log-separate-errors). Sessions open a <see cref="LogRecord"/>, fill it as they go, and
/// <see cref="Emit"/> it: the line is rendered into a pooled buffer and queued, never sent inline.
/// </summary>
public sealed class FrontendLog
{
    private readonly LogService _service;
    private readonly FrontendRuntime _frontend;
    private readonly ConnectionLimiter? _global;
    private long _logCount;

    private FrontendLog(LogService service, LogTargets targets, FrontendRuntime frontend, ConnectionLimiter? global)
    {
        _service = service;
        Targets = targets;
        _frontend = frontend;
        _global = global;
        var cfg = frontend.Config;
        FrontendName = cfg.Name;
        HttpMode = cfg.Mode == ProxyMode.Http;
        DontLogNull = cfg.HasOption("dontlognull");
        DontLogNormal = cfg.HasOption("dontlog-normal");
        SeparateErrors = cfg.HasOption("log-separate-errors");
    }

    internal LogTargets Targets { get; }
    internal LogFormat? Format { get; private init; }
    internal LogFormat? UniqueIdFormat { get; private init; }
    internal CaptureSpec Captures { get; private init; } = CaptureSpec.None;

    public string FrontendName { get; }
    public bool HttpMode { get; }
    public bool DontLogNull { get; }
    public bool DontLogNormal { get; }
    public bool SeparateErrors { get; }

    internal string Hostname => Environment.MachineName;
    internal int Pid => _service.Pid;
    internal long LogCount => Volatile.Read(ref _logCount);
    // The connection being logged still counts, as in haproxy, even if its session already
    // told the frontend it ended (the stream stage may stop after the session actor).
    internal long ActiveConnections => Math.Max(1, _global?.Current ?? _frontend.CurrentSessions);
    internal long FrontendConnections => Math.Max(1, _frontend.CurrentSessions);
    internal long NextRequestId() => _service.NextRequestId();

    internal long ServerConnections(LogRecord r) =>
        r.Server is { } s ? Math.Max(0, s.CurrentConns - (r.HoldsServer ? 1 : 0)) : 0;

    internal long BackendConnections(LogRecord r)
    {
        if (r.Backend is null) return 0;
        long n = 0;
        foreach (var s in r.Backend.Snapshot.All) n += s.CurrentConns;
        return Math.Max(0, n - (r.HoldsServer ? 1 : 0));
    }

    /// <summary>
    /// The log of <paramref name="frontend"/>, or null when it logs nowhere (then sessions do no
    /// logging work at all). What cannot be used is reported to the service (see <see cref="LogService.TakeProblems"/>).
    /// </summary>
    public static FrontendLog? Create(LogService service, FrontendRuntime frontend, ConnectionLimiter? global)
    {
        var cfg = frontend.Config;
        service.Register(frontend);
        if (service.For(cfg) is not { } targets) return null;
        var problems = new List<string>();
        var log = Build(service, targets, frontend, global, problems);
        foreach (var p in problems) service.Report(p);
        return log;
    }

    private static FrontendLog Build(LogService service, LogTargets targets, FrontendRuntime frontend, ConnectionLimiter? global, List<string> problems)
    {
        var cfg = frontend.Config;
        bool http = cfg.Mode == ProxyMode.Http;
        string? source = cfg.LogFormat;
        if (source is null && cfg.HasOption("httplog"))
        {
            if (http) source = cfg.ArgsOf("httplog") is [ "clf" ] ? DefaultLogFormats.Clf : DefaultLogFormats.Http;
            else
            {
                problems.Add($"'option httplog' not usable with frontend '{cfg.Name}' (needs 'mode http'). Falling back to 'option tcplog'.");
                source = DefaultLogFormats.Tcp;
            }
        }
        if (source is null && cfg.HasOption("tcplog")) source = DefaultLogFormats.Tcp;
        LogFormat? format = null;
        if (source != null)
        {
            format = LogFormat.Compile(source, http, out var error, problems);
            if (format is null)
            {
                problems.Add($"frontend '{cfg.Name}': log-format: {error}; using the default format");
                format = LogFormat.Compile(http ? DefaultLogFormats.Http : DefaultLogFormats.Tcp, http, out _);
            }
        }
        LogFormat? uniqueId = null;
        if (cfg.OtherDirectives.LastOrDefault(d => d.Keyword == "unique-id-format" && d.Words.Length > 1) is { } uid)
        {
            uniqueId = LogFormat.Compile(uid.Words[1], http, out var error, problems);
            if (uniqueId is null || uniqueId.Uses(LogVariable.UniqueId))
            {
                problems.Add($"frontend '{cfg.Name}': unique-id-format: {error ?? "it cannot contain %ID"}; %ID logs '-'");
                uniqueId = null;
            }
        }
        return new FrontendLog(service, targets, frontend, global)
        {
            Format = format,
            UniqueIdFormat = uniqueId,
            Captures = http ? CaptureSpec.For(cfg, problems) : CaptureSpec.None,
        };
    }

    /// <summary>A client connection was accepted: the record for its (first) stream.</summary>
    internal LogRecord Open(IPEndPoint client, IPEndPoint? local)
    {
        var r = new LogRecord(this, client, local);
        if (Format is null) ConnectLine(r);
        return r;
    }

    // haproxy's default log, emitted at accept: "Connect from 10.0.1.2:33312 to 10.0.3.31:8012 (www/HTTP)".
    private void ConnectLine(LogRecord r)
    {
        r.Logged = true;
        var buffer = _service.Buffers.Rent(Targets.MaxLength);
        var w = new AsciiWriter(buffer.AsSpan(0, Targets.MaxLength));
        w.Text("Connect from ");
        Address(ref w, r.Client, r.ClientText);
        w.Text(" to ");
        Address(ref w, r.Local, r.LocalText);
        w.Text(" (");
        w.Text(FrontendName);
        w.Text(HttpMode ? "/HTTP)" : "/TCP)");
        _service.Post(Targets, Syslog.Info, buffer, w.Position);
    }

    private static void Address(ref AsciiWriter w, IPEndPoint? ep, string? text)
    {
        if (ep is null) { w.Byte((byte)'-'); return; }
        w.Text(text!);
        w.Byte((byte)':');
        w.Int(ep.Port);
    }

    /// <summary>
    /// Ends the stream of <paramref name="r"/>: renders and queues its line unless a filter drops
    /// it. Once per stream; <paramref name="holdsServer"/>: the session keeps its server
    /// connection (keep-alive), which haproxy's %sc and %bc do not count any more.
    /// </summary>
    internal void Emit(LogRecord r, bool holdsServer = false)
    {
        if (r.Logged) return;
        r.Logged = true;
        r.MarkClose();
        if (Format is null) return;
        if (DontLogNull && (HttpMode ? !r.HasRequestBytes : r.BytesIn == 0)) return;
        bool error = r.Redispatched || r.Cause is not ('-' or 'L') || r.Cause == '-' && r.Retries > 0 || HttpMode && r.Status >= 500;
        if (!error && DontLogNormal) return;
        r.HoldsServer = holdsServer;
        var buffer = _service.Buffers.Rent(Targets.MaxLength);
        int length;
        try
        {
            var w = new AsciiWriter(buffer.AsSpan(0, Targets.MaxLength));
            LogLineRenderer.Render(ref w, Format, r, this);
            length = w.Position;
        }
        catch (Exception)
        {
            // A line that cannot be rendered is a lost line, never a lost connection.
            _service.Buffers.Return(buffer);
            _service.CountDropped();
            return;
        }
        Interlocked.Increment(ref _logCount);
        _service.Post(Targets, error && SeparateErrors ? Syslog.Err : Syslog.Info, buffer, length);
    }

    // ---- HTTP ---------------------------------------------------------------------------

    /// <summary>A request head was parsed: its timer, request line, size and captures.</summary>
    internal void Request(LogRecord r, RequestHead head, long ticks = 0)
    {
        r.MarkRequest(ticks);
        var raw = head.RawHead;
        int eol = raw.IndexOf((byte)'\n');
        var line = eol < 0 ? raw : raw[..eol];
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        r.SetRequestLine(line);
        r.BytesIn = r.RequestHeadSize = HtxSize.Of(head);
        r.HasCaptures = true;
        var spec = Captures;
        if (spec.Request.Length > 0)
        {
            r.RequestCaptures ??= new CaptureValues(spec.Request.Select(c => c.Length).ToArray());
            r.ResponseCaptures ??= new CaptureValues(spec.Response.Select(c => c.Length).ToArray());
            for (int i = 0; i < spec.Request.Length; i++) CaptureLast(head, spec.Request[i].Name, r.RequestCaptures, i);
        }
        else if (spec.Response.Length > 0)
        {
            r.RequestCaptures ??= new CaptureValues(Array.Empty<int>());
            r.ResponseCaptures ??= new CaptureValues(spec.Response.Select(c => c.Length).ToArray());
        }
        if (spec.Cookie is not null)
        {
            r.RequestCookie ??= new CaptureValues(new[] { spec.CookieLength });
            CaptureRequestCookie(head, spec.CookieBytes, r.RequestCookie);
        }
    }

    /// <summary>The server's final response head: Tr, status, size and captures.</summary>
    internal void Response(LogRecord r, ResponseHead head, long ticks = 0)
    {
        r.MarkData(ticks);
        r.Status = head.StatusCode;
        r.BytesOut = r.ResponseHeadSize = HtxSize.Of(head);
        var spec = Captures;
        if (r.ResponseCaptures is { } values)
            for (int i = 0; i < spec.Response.Length; i++) CaptureLast(head, spec.Response[i].Name, values, i);
        if (spec.Cookie is not null)
        {
            r.ResponseCookie ??= new CaptureValues(new[] { spec.CookieLength });
            for (int i = head.IndexOf("set-cookie"); i >= 0; i = head.IndexOf("set-cookie", i + 1))
            {
                var v = head.ValueAt(i);
                if (!v.StartsWith(spec.CookieBytes)) continue;
                int semi = v.IndexOf((byte)';');
                r.ResponseCookie.Set(0, (semi < 0 ? v : v[..semi]).TrimEnd((byte)' ')); // "NAME=value", attributes left out
                break;
            }
        }
    }

    /// <summary>An answer Lb made itself (error page, stats): status and haproxy's size of it.</summary>
    internal static void Generated(LogRecord r, int status, ReadOnlySpan<byte> message)
    {
        r.Status = status;
        r.ResponseHeadSize = 0;
        r.BytesOut = status is 400 or 408 ? 0 : HtxSize.OfRawResponse(message); // haproxy counts 0 for these
    }

    // haproxy captures the value of the last occurrence of the header.
    private static void CaptureLast(HttpHead head, string name, CaptureValues values, int slot)
    {
        int last = -1;
        for (int i = head.IndexOf(name); i >= 0; i = head.IndexOf(name, i + 1)) last = i;
        if (last >= 0) values.Set(slot, head.ValueAt(last));
    }

    // The first cookie whose name starts with the captured name, as "name=value".
    private static void CaptureRequestCookie(HttpHead head, byte[] prefix, CaptureValues values)
    {
        for (int i = head.IndexOf("cookie"); i >= 0; i = head.IndexOf("cookie", i + 1))
        {
            var rest = head.ValueAt(i);
            while (!rest.IsEmpty)
            {
                int semi = rest.IndexOf((byte)';');
                var pair = (semi < 0 ? rest : rest[..semi]).Trim((byte)' ');
                if (pair.StartsWith(prefix)) { values.Set(0, pair); return; }
                rest = semi < 0 ? default : rest[(semi + 1)..];
            }
        }
    }
}
