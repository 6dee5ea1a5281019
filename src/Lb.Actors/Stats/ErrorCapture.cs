using System.Net;

namespace Lb.Actors.Stats;

/// <summary>One invalid request or response kept for 'show errors'.</summary>
public sealed record CapturedError(
    DateTime WhenUtc, string Frontend, string? Backend, string? Server, IPEndPoint? Client,
    bool IsResponse, int ErrorOffset, byte[] Bytes, long EventId);

/// <summary>
/// The last invalid request and response per proxy, as haproxy keeps them for 'show errors'.
/// Written only on the error path (a 400/502 answer), read by the runtime API.
/// </summary>
public sealed class ErrorCapture
{
    private readonly object _lock = new();
    private readonly Dictionary<(string Proxy, bool Response), CapturedError> _last = new();
    private long _events;

    /// <summary>Keeps at most 16 KiB of the offending bytes.</summary>
    public void Capture(string frontend, string? backend, string? server, IPEndPoint? client, bool response, int errorOffset, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.Length > 16384 ? bytes[..16384].ToArray() : bytes.ToArray();
        var e = new CapturedError(DateTime.UtcNow, frontend, backend, server, client, response, errorOffset, copy, Interlocked.Increment(ref _events));
        lock (_lock) _last[(response ? backend ?? frontend : frontend, response)] = e;
    }

    public IReadOnlyList<CapturedError> Snapshot()
    {
        lock (_lock) return _last.Values.OrderBy(e => e.EventId).ToList();
    }

    public long Count => Interlocked.Read(ref _events);
}
