using System.Collections.Frozen;
using Lb.Config.Model;

namespace Lb.Actors.Http;

/// <summary>
/// The error pages of one proxy: HAProxy's defaults overridden by its "errorfile CODE FILE"
/// directives. Each file (a full raw HTTP response: status line, headers, empty line, body, as
/// HAProxy expects it) is read and rendered once, at construction; <see cref="Get"/> returns
/// pre-encoded arrays. A file that cannot be read or holds no valid response head keeps the
/// default page and is reported through the warning callback.
/// </summary>
public sealed class ErrorPageSet
{
    private readonly FrozenDictionary<int, byte[][]> _custom;

    public static ErrorPageSet Default { get; } = new(FrozenDictionary<int, byte[][]>.Empty);

    private ErrorPageSet(FrozenDictionary<int, byte[][]> custom) { _custom = custom; }

    public static ErrorPageSet For(Proxy proxy, Action<string>? warn = null)
        => FromFiles(proxy.ErrorFiles, warn);

    public static ErrorPageSet FromFiles(IReadOnlyDictionary<int, string> files, Action<string>? warn = null)
    {
        if (files.Count == 0) return Default;
        var custom = new Dictionary<int, byte[][]>();
        foreach (var (status, path) in files)
        {
            byte[] raw;
            try { raw = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warn?.Invoke($"errorfile {status}: cannot read '{path}': {e.Message}");
                continue;
            }
            var page = FromBytes(raw);
            if (page == null)
            {
                warn?.Invoke($"errorfile {status}: '{path}' is not a valid HTTP response");
                continue;
            }
            custom[status] = page;
        }
        return custom.Count == 0 ? Default : new ErrorPageSet(custom.ToFrozenDictionary());
    }

    /// <summary>Pre-renders one raw response, or null when it has no valid head.</summary>
    internal static byte[][]? FromBytes(byte[] raw)
    {
        var none = ErrorPageRenderer.Render(raw, ConnectionHeader.None);
        if (none == null) return null;
        return [none, ErrorPageRenderer.Render(raw, ConnectionHeader.Close)!, ErrorPageRenderer.Render(raw, ConnectionHeader.KeepAlive)!];
    }

    public bool IsCustom(int status) => _custom.ContainsKey(status);

    /// <summary>The page a stream sends for <paramref name="status"/>.</summary>
    public byte[] Get(int status, ConnectionHeader connection = ConnectionHeader.None)
        => _custom.TryGetValue(status, out var page) ? page[(int)connection] : ErrorPages.Get(status, connection);
}
