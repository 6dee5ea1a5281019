using System.Net;
using System.Net.Sockets;

namespace Lb.Actors.Logging;

/// <summary>
/// Renders a compiled <see cref="LogFormat"/> for one <see cref="LogRecord"/>, the way haproxy
/// 2.6 prints each variable: text values are "-" when absent and quoted with %{+Q} ("" when
/// absent), numbers never are, timers are -1 when their event did not happen.
/// </summary>
internal static class LogLineRenderer
{
    public static void Render(ref AsciiWriter w, LogFormat format, LogRecord r, FrontendLog ctx)
    {
        bool lastWasSpace = true; // no separator at the very start
        foreach (var node in format.Nodes)
        {
            switch (node.Kind)
            {
                case LogNodeKind.Separator:
                    if (!lastWasSpace) { w.Byte((byte)' '); lastWasSpace = true; }
                    break;
                case LogNodeKind.Text:
                    w.Bytes(node.Text);
                    lastWasSpace = false;
                    break;
                case LogNodeKind.Expression:
                    Text(ref w, null, node.Flags);
                    lastWasSpace = false;
                    break;
                default:
                    int before = w.Position;
                    Variable(ref w, node.Variable, node.Flags, r, ctx);
                    if (w.Position != before) lastWasSpace = false;
                    break;
            }
            if (w.Full) return;
        }
    }

    private static void Variable(ref AsciiWriter w, LogVariable v, LogFlags f, LogRecord r, FrontendLog ctx)
    {
        bool hex = (f & LogFlags.Hex) != 0;
        switch (v)
        {
            case LogVariable.ClientIp: Ip(ref w, r.Client, f, r.ClientText); break;
            case LogVariable.ClientPort: Port(ref w, r.Client, f); break;
            case LogVariable.FrontendIp: Ip(ref w, r.Local, f, r.LocalText); break;
            case LogVariable.FrontendPort: Port(ref w, r.Local, f); break;
            case LogVariable.BackendSourceIp: Ip(ref w, r.Connected ? r.ServerLocal as IPEndPoint : null, f); break;
            case LogVariable.BackendSourcePort: Port(ref w, r.Connected ? r.ServerLocal as IPEndPoint : null, f); break;
            case LogVariable.ServerIp: Ip(ref w, r.Server?.EndPoint, f); break;
            case LogVariable.ServerPort: Port(ref w, r.Server?.EndPoint, f); break;

            case LogVariable.AcceptDate: LogDates.Accept(ref w, r.AcceptUtc); break;
            case LogVariable.RequestDate: LogDates.Accept(ref w, RequestStart(r)); break;
            case LogVariable.DateGmt: LogDates.WithZone(ref w, r.AcceptUtc, local: false); break;
            case LogVariable.RequestDateGmt: LogDates.WithZone(ref w, RequestStart(r), local: false); break;
            case LogVariable.DateLocal: LogDates.WithZone(ref w, r.AcceptUtc, local: true); break;
            case LogVariable.RequestDateLocal: LogDates.WithZone(ref w, RequestStart(r), local: true); break;
            case LogVariable.Timestamp:
                long seconds = new DateTimeOffset(r.AcceptUtc).ToUnixTimeSeconds();
                if (hex) w.Hex((ulong)seconds, 4); else w.Int(seconds);
                break;
            case LogVariable.AcceptMs:
                if (hex) w.Hex((ulong)r.AcceptUtc.Millisecond, 2); else w.Padded(r.AcceptUtc.Millisecond, 3);
                break;

            case LogVariable.Frontend: Text(ref w, ctx.FrontendName, f); break;
            case LogVariable.FrontendTransport: Text(ref w, ctx.FrontendName, f); break;
            case LogVariable.Backend: Text(ref w, r.Backend?.Name ?? ctx.FrontendName, f); break;
            case LogVariable.Server: Text(ref w, r.ServerLabel ?? r.Server?.Name ?? "<NOSRV>", f); break;
            case LogVariable.Hostname: Text(ref w, ctx.Hostname, f); break;
            case LogVariable.SslCipher or LogVariable.SslVersion: Text(ref w, null, f); break;
            case LogVariable.UniqueId: UniqueId(ref w, f, r, ctx); break;

            case LogVariable.Th: w.Int(r.THandshake); break;
            case LogVariable.Ti: w.Int(r.TIdle); break;
            case LogVariable.TR: w.Int(r.TRequest >= 0 ? r.TRequest - r.TIdle - r.THandshake : -1); break;
            case LogVariable.Tq: w.Int(r.TRequest); break;
            case LogVariable.Tw: w.Int(r.TQueue >= 0 ? r.TQueue - r.TRequest : -1); break;
            case LogVariable.Tc: w.Int(r.TConnect >= 0 ? r.TConnect - r.TQueue : -1); break;
            case LogVariable.Tr: w.Int(r.TData >= 0 ? r.TData - r.TConnect : -1); break;
            case LogVariable.Td:
                if (ctx.HttpMode) w.Int(r.TData >= 0 ? r.TClose - r.TData : -1);
                else w.Int(r.TConnect >= 0 ? r.TClose - r.TConnect : -1);
                break;
            case LogVariable.Ta: w.Int(r.TClose - (r.TIdle >= 0 ? r.TIdle + r.THandshake : 0)); break;
            case LogVariable.Tt: w.Int(r.TClose); break;
            case LogVariable.Tu: w.Int(r.TClose - (r.TIdle >= 0 ? r.TIdle : 0)); break;

            case LogVariable.Status: w.Int(ctx.HttpMode ? r.Status : 0); break;
            case LogVariable.BytesDown: w.Int(r.BytesOut); break;
            case LogVariable.BytesUp: w.Int(r.BytesIn); break;
            case LogVariable.TermState: w.Byte((byte)r.Cause); w.Byte((byte)r.Phase); break;
            case LogVariable.TermStateCookies:
                w.Byte((byte)r.Cause); w.Byte((byte)r.Phase); w.Byte((byte)r.CookieIn); w.Byte((byte)r.CookieOut);
                break;
            case LogVariable.ActiveConns: w.Int(ctx.ActiveConnections); break;
            case LogVariable.FrontendConns: w.Int(ctx.FrontendConnections); break;
            case LogVariable.BackendConns: w.Int(ctx.BackendConnections(r)); break;
            case LogVariable.ServerConns: w.Int(ctx.ServerConnections(r)); break;
            case LogVariable.Retries:
                if (r.Redispatched) w.Byte((byte)'+');
                w.Int(r.Retries);
                break;
            case LogVariable.ServerQueue: w.Int(r.ServerQueuePosition); break;
            case LogVariable.BackendQueue: w.Int(r.BackendQueuePosition); break;
            case LogVariable.CookieClient: Captured(ref w, r.RequestCookie, f); break;
            case LogVariable.CookieServer: Captured(ref w, r.ResponseCookie, f); break;
            case LogVariable.RequestHeaders: Braced(ref w, r.HasCaptures ? r.RequestCaptures : null, f); break;
            case LogVariable.ResponseHeaders: Braced(ref w, r.HasCaptures ? r.ResponseCaptures : null, f); break;
            case LogVariable.RequestHeaderList: Listed(ref w, r.HasCaptures ? r.RequestCaptures : null, f); break;
            case LogVariable.ResponseHeaderList: Listed(ref w, r.HasCaptures ? r.ResponseCaptures : null, f); break;
            case LogVariable.RequestLine: RequestPart(ref w, r, RequestLineParts.Whole, f); break;
            case LogVariable.Method: RequestPart(ref w, r, RequestLineParts.Method, f); break;
            case LogVariable.Uri: RequestPart(ref w, r, RequestLineParts.Uri, f); break;
            case LogVariable.Path: RequestPart(ref w, r, RequestLineParts.Path, f); break;
            case LogVariable.PathOnly: RequestPart(ref w, r, RequestLineParts.PathOnly, f); break;
            case LogVariable.Query: RequestPart(ref w, r, RequestLineParts.Query, f); break;
            case LogVariable.Version: RequestPart(ref w, r, RequestLineParts.Version, f); break;
            case LogVariable.Pid: if (hex) w.Hex((ulong)ctx.Pid, 4); else w.Int(ctx.Pid); break;
            case LogVariable.RequestCounter: if (hex) w.Hex((ulong)r.RequestId, 4); else w.Int(r.RequestId); break;
            case LogVariable.LogCount: if (hex) w.Hex((ulong)ctx.LogCount, 4); else w.Int(ctx.LogCount); break;
        }
    }

    private static DateTime RequestStart(LogRecord r) =>
        r.AcceptUtc.AddMilliseconds(r.TIdle >= 0 ? r.TIdle + r.THandshake : 0);

    /// <summary>haproxy's plain text: "-" when absent, %{+Q} quotes, %{+E} backslashes <c>" \ ]</c>.</summary>
    public static void Text(ref AsciiWriter w, string? s, LogFlags f)
    {
        bool quote = (f & LogFlags.Quote) != 0;
        if (string.IsNullOrEmpty(s))
        {
            if (quote) w.Text("\"\""); else w.Byte((byte)'-');
            return;
        }
        if (quote) w.Byte((byte)'"');
        if ((f & LogFlags.Escape) == 0) w.Text(s);
        else
            foreach (var c in s)
            {
                if (LogEscaping.NeedsBackslash((byte)c)) w.Byte((byte)'\\');
                w.Char(c);
            }
        if (quote) w.Byte((byte)'"');
    }

    internal static string AddressText(IPEndPoint ep) => (ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4() : ep.Address).ToString();

    private static void Ip(ref AsciiWriter w, IPEndPoint? ep, LogFlags f, string? text = null)
    {
        if (ep is null) { Text(ref w, null, f); return; }
        var ip = ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4() : ep.Address;
        if ((f & LogFlags.Hex) != 0 && ip.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            ip.TryWriteBytes(b, out _);
            w.Hex((ulong)b[0] << 24 | (ulong)b[1] << 16 | (ulong)b[2] << 8 | b[3], 8);
            return;
        }
        Text(ref w, text ?? ip.ToString(), f);
    }

    private static void Port(ref AsciiWriter w, IPEndPoint? ep, LogFlags f)
    {
        if (ep is null) { Text(ref w, null, f); return; }
        if ((f & LogFlags.Hex) != 0) w.Hex((ulong)ep.Port, 4); else w.Int(ep.Port);
    }

    private static void Captured(ref AsciiWriter w, CaptureValues? values, LogFlags f)
    {
        if (values is null || values.LengthOf(0) <= 0) { Text(ref w, null, f); return; }
        bool quote = (f & LogFlags.Quote) != 0;
        if (quote) w.Byte((byte)'"');
        LogEscaping.Encode(ref w, values[0], LogEscaping.Header, (f & LogFlags.Escape) != 0);
        if (quote) w.Byte((byte)'"');
    }

    // %hr / %hs: "{v1|v2}", nothing at all without captures or before a request was parsed.
    private static void Braced(ref AsciiWriter w, CaptureValues? values, LogFlags f)
    {
        if (values is null || values.Count == 0) return;
        bool quote = (f & LogFlags.Quote) != 0;
        if (quote) w.Byte((byte)'"');
        w.Byte((byte)'{');
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0) w.Byte((byte)'|');
            LogEscaping.Encode(ref w, values[i], LogEscaping.Header, (f & LogFlags.Escape) != 0);
        }
        w.Byte((byte)'}');
        if (quote) w.Byte((byte)'"');
    }

    // %hrl / %hsl: the values separated by spaces, "-" for a header that was absent.
    private static void Listed(ref AsciiWriter w, CaptureValues? values, LogFlags f)
    {
        if (values is null || values.Count == 0) return;
        bool quote = (f & LogFlags.Quote) != 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0) w.Byte((byte)' ');
            if (quote) w.Byte((byte)'"');
            if (values.LengthOf(i) >= 0) LogEscaping.Encode(ref w, values[i], LogEscaping.Header, (f & LogFlags.Escape) != 0);
            else if (!quote) w.Byte((byte)'-');
            if (quote) w.Byte((byte)'"');
        }
    }

    private static void RequestPart(ref AsciiWriter w, LogRecord r, RequestLineParts part, LogFlags f)
    {
        var value = RequestLineParser.Part(r.RequestLine, r.RequestLineLength >= 0, part, out bool bad);
        bool quote = (f & LogFlags.Quote) != 0;
        if (quote) w.Byte((byte)'"');
        if (bad) w.Text("<BADREQ>");
        else if (value.Length == 0 && part == RequestLineParts.Version) w.Text("HTTP/0.9");
        else LogEscaping.Encode(ref w, value, LogEscaping.Url, (f & LogFlags.Escape) != 0);
        if (quote) w.Byte((byte)'"');
    }

    private static void UniqueId(ref AsciiWriter w, LogFlags f, LogRecord r, FrontendLog ctx)
    {
        if (ctx.UniqueIdFormat is null) { Text(ref w, null, f); return; }
        bool quote = (f & LogFlags.Quote) != 0;
        if (quote) w.Byte((byte)'"');
        int before = w.Position;
        Render(ref w, ctx.UniqueIdFormat, r, ctx);
        if (w.Position == before && !quote) w.Byte((byte)'-');
        if (quote) w.Byte((byte)'"');
    }
}
