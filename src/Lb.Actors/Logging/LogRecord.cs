using System.Diagnostics;
using System.Net;
using Lb.Actors.Backends;

namespace Lb.Actors.Logging;

/// <summary>
/// What one stream (an HTTP request, or a whole TCP session) leaves for its log line: haproxy's
/// timers, taken as Stopwatch ticks at the moments haproxy takes them, the names, the byte
/// counts, the termination state, the request line and the captured headers. One per client
/// connection, reused for each request; only frontends that log create one.
/// </summary>
internal sealed class LogRecord
{
    private long _accept, _idleEnd, _request, _queue, _connect, _data, _close;

    public LogRecord(FrontendLog log, IPEndPoint client, IPEndPoint? local)
    {
        Log = log;
        Client = client;
        Local = local;
        Begin(Stopwatch.GetTimestamp(), DateTime.UtcNow);
    }

    public FrontendLog Log { get; }
    public IPEndPoint Client { get; }
    public IPEndPoint? Local { get; }

    private string? _clientText, _localText;

    /// <summary>The addresses as text, made once per connection (not per request).</summary>
    public string ClientText => _clientText ??= LogLineRenderer.AddressText(Client);
    public string? LocalText => Local is null ? null : _localText ??= LogLineRenderer.AddressText(Local);

    /// <summary>Start of the stream: accept for the first one, end of the previous response for the next ones.</summary>
    public DateTime AcceptUtc { get; private set; }
    public long RequestId { get; private set; }

    public int Status = -1;
    public long BytesIn, BytesOut;
    public long RequestHeadSize, ResponseHeadSize; // haproxy's sizes of the heads (HTTP); 0: none
    public int Streams;                   // requests already logged on this connection
    public BackendHandle? Backend;
    public ServerRuntime? Server;
    public bool HoldsServer;              // still holds its server connection when logged (not counted in %sc/%bc)
    public string? ServerLabel;           // "<STATS>" for the stats page
    public EndPoint? ServerLocal;         // %bi/%bp
    public int Retries;
    public bool Redispatched;
    public int ServerQueuePosition, BackendQueuePosition; // %sq, %bq
    public char Cause = '-', Phase = '-', CookieIn = '-', CookieOut = '-';
    public bool Logged;
    public bool Connected => _connect != 0;

    /// <summary>haproxy's termination state: what ended the stream (first char) and in which phase.</summary>
    public void Terminate(char cause, char phase)
    {
        if (Cause != '-') return; // the first cause wins
        Cause = cause;
        Phase = phase;
    }

    // ---- timers (ms from the stream's start; -1: not reached) ---------------------------

    public void MarkIdleEnd() { if (_idleEnd == 0) _idleEnd = Stopwatch.GetTimestamp(); }
    // The 'ticks' overloads take a Stopwatch timestamp the caller already has (the HTTP stage's
    // exchange timestamps, also used by the stats), so that a step is timed once.
    public void MarkRequest(long ticks = 0) { MarkIdleEnd(); _request = ticks != 0 ? ticks : Stopwatch.GetTimestamp(); }
    public void MarkQueue(long ticks = 0) => _queue = ticks != 0 ? ticks : Stopwatch.GetTimestamp();
    public void MarkConnect(long ticks = 0) { _connect = ticks != 0 ? ticks : Stopwatch.GetTimestamp(); if (_queue == 0) _queue = _connect; }
    public void MarkData(long ticks = 0) => _data = ticks != 0 ? ticks : Stopwatch.GetTimestamp();
    public void MarkClose() { if (_close == 0) _close = Stopwatch.GetTimestamp(); }

    public bool RequestReceived => _request != 0;
    public bool HasRequestBytes => _idleEnd != 0;

    private long Ms(long ticks) => ticks == 0 ? -1 : (ticks - _accept) * 1000 / Stopwatch.Frequency;

    public long THandshake => 0;
    public long TIdle => Ms(_idleEnd);
    public long TRequest => Ms(_request);   // haproxy's t_request (= Tq)
    public long TQueue => Ms(_queue);
    public long TConnect => Ms(_connect);
    public long TData => Ms(_data);
    public long TClose => Ms(_close);

    // ---- request line and captures (HTTP) --------------------------------------------

    private const int MaxRequestLine = 1023; // haproxy keeps the first 1023 bytes of the request line
    private byte[]? _line;
    public int RequestLineLength = -1;     // -1: no valid request ("<BADREQ>")

    public ReadOnlySpan<byte> RequestLine => RequestLineLength < 0 ? default : _line.AsSpan(0, RequestLineLength);

    public void SetRequestLine(ReadOnlySpan<byte> line)
    {
        _line ??= new byte[MaxRequestLine];
        int n = Math.Min(line.Length, MaxRequestLine);
        line[..n].CopyTo(_line);
        RequestLineLength = n;
    }

    /// <summary>True once a request head was parsed: %hr and %hs print (possibly empty) braces.</summary>
    public bool HasCaptures;
    public CaptureValues? RequestCaptures, ResponseCaptures;
    public CaptureValues? RequestCookie, ResponseCookie;   // capture cookie: %CC, %CS

    // ---- lifecycle ------------------------------------------------------------------------

    private void Begin(long ticks, DateTime utc)
    {
        _accept = ticks;
        AcceptUtc = utc;
        _idleEnd = _request = _queue = _connect = _data = _close = 0;
        RequestId = Log.NextRequestId();
    }

    /// <summary>A keep-alive connection's next request starts now: everything but the connection is reset.</summary>
    public void NextStream()
    {
        Begin(Stopwatch.GetTimestamp(), DateTime.UtcNow);
        Status = -1;
        BytesIn = BytesOut = 0;
        RequestHeadSize = ResponseHeadSize = 0;
        Streams++;
        Backend = null;
        Server = null;
        HoldsServer = false;
        ServerLabel = null;
        ServerLocal = null;
        Retries = 0;
        Redispatched = false;
        ServerQueuePosition = BackendQueuePosition = 0;
        Cause = Phase = CookieIn = CookieOut = '-';
        Logged = false;
        RequestLineLength = -1;
        HasCaptures = false;
        RequestCaptures?.Clear();
        ResponseCaptures?.Clear();
        RequestCookie?.Clear();
        ResponseCookie?.Clear();
    }
}

/// <summary>Captured values of one kind (request headers, response headers or a cookie), each truncated to its 'len'.</summary>
internal sealed class CaptureValues
{
    private readonly byte[][] _values;
    private readonly int[] _lengths;

    public CaptureValues(IReadOnlyList<int> limits)
    {
        _values = new byte[limits.Count][];
        _lengths = new int[limits.Count];
        for (int i = 0; i < limits.Count; i++) _values[i] = new byte[limits[i]];
        Clear();
    }

    public int Count => _values.Length;

    /// <summary>-1 when nothing was captured.</summary>
    public int LengthOf(int i) => _lengths[i];

    public ReadOnlySpan<byte> this[int i] => _lengths[i] < 0 ? default : _values[i].AsSpan(0, _lengths[i]);

    public void Set(int i, ReadOnlySpan<byte> value)
    {
        int n = Math.Min(value.Length, _values[i].Length);
        value[..n].CopyTo(_values[i]);
        _lengths[i] = n;
    }

    public void Clear() => Array.Fill(_lengths, -1);
}
