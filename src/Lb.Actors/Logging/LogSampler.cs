namespace Lb.Actors.Logging;

/// <summary>
/// 'log ... sample RANGES:SIZE': of every SIZE messages, only those whose 1-based position is in
/// one of the RANGES ("1", "2-4", "1,5-6") are sent. Used by the one sender thread only.
/// </summary>
internal sealed class LogSampler
{
    private readonly bool[] _keep;
    private int _next;

    private LogSampler(bool[] keep) => _keep = keep;

    public bool Next()
    {
        bool keep = _keep[_next];
        _next = (_next + 1) % _keep.Length;
        return keep;
    }

    /// <summary>Null and an error text when <paramref name="spec"/> is malformed.</summary>
    public static LogSampler? Parse(string spec, out string? error)
    {
        error = null;
        int colon = spec.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(spec.AsSpan(colon + 1), out int size) || size <= 0 || size > 1_000_000)
        {
            error = $"invalid sample '{spec}' (expected <ranges>:<size>)";
            return null;
        }
        var keep = new bool[size];
        foreach (var range in spec[..colon].Split(','))
        {
            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2 || !int.TryParse(bounds[0], out int low) || low < 1
                || !int.TryParse(bounds[^1], out int high) || high < low)
            {
                error = $"invalid sample range '{range}'";
                return null;
            }
            if (high > size)
            {
                error = $"sample size {size} should be greater or equal to {high}, the maximum of the high range limits";
                return null;
            }
            for (int i = low; i <= high; i++) keep[i - 1] = true;
        }
        return new LogSampler(keep);
    }
}
