using Lb.Config.Values;

namespace Lb.Actors.Persistence;

/// <summary>
/// Where each stored data type lives in an entry's counter array: one slot per counter, three per
/// rate (start of the current period, events in it, events in the previous one). Built once per
/// table from its 'store' list; types Lb does not know are reported, not stored.
/// </summary>
public sealed class StickDataLayout
{
    public static readonly StickDataLayout Empty = new([], []);

    private readonly int[] _slot;
    private readonly long[] _periodMs;

    private StickDataLayout(IReadOnlyList<StickDataType> stored, IReadOnlyList<long> periods)
    {
        var types = Enum.GetValues<StickDataType>();
        _slot = new int[types.Length];
        _periodMs = new long[types.Length];
        Array.Fill(_slot, -1);
        int next = 0;
        for (int i = 0; i < stored.Count; i++)
        {
            var t = stored[i];
            if (t == StickDataType.ServerId) continue; // an entry always has its own server id field
            _slot[(int)t] = next;
            _periodMs[(int)t] = periods[i];
            next += StickDataTypes.IsRate(t) ? 3 : 1;
        }
        SlotCount = next;
        Stored = stored;
    }

    /// <summary>The stored types in declaration order (server_id included when declared).</summary>
    public IReadOnlyList<StickDataType> Stored { get; }

    public int SlotCount { get; }

    public bool Has(StickDataType type) => type == StickDataType.ServerId || _slot[(int)type] >= 0;

    internal int SlotOf(StickDataType type) => _slot[(int)type];

    /// <summary>The period of a rate ('conn_rate(10s)': 10,000 ms).</summary>
    public long PeriodMs(StickDataType type) => _periodMs[(int)type];

    /// <summary>
    /// Reads 'store' items such as "conn_cnt", "http_req_rate(10s)". Unknown or unsupported
    /// items (the gpc/gpt arrays of HAProxy 2.5) go to <paramref name="unsupported"/>.
    /// </summary>
    public static StickDataLayout Parse(IEnumerable<string> items, List<string>? unsupported = null)
    {
        var stored = new List<StickDataType>();
        var periods = new List<long>();
        foreach (var item in items)
        {
            int open = item.IndexOf('(');
            var name = open < 0 ? item : item[..open];
            if (!StickDataTypes.TryParse(name, out var type) || stored.Contains(type))
            {
                if (!StickDataTypes.TryParse(name, out _)) unsupported?.Add(item);
                continue;
            }
            long period = 0;
            if (StickDataTypes.IsRate(type))
            {
                var arg = open < 0 ? "" : item[(open + 1)..].TrimEnd(')');
                if (arg.Length == 0 || TimeParser.TryParse(arg, "rate period", out var p) is not null || p <= TimeSpan.Zero)
                {
                    unsupported?.Add(item);
                    continue;
                }
                period = (long)p.TotalMilliseconds;
            }
            stored.Add(type);
            periods.Add(period);
        }
        return new StickDataLayout(stored, periods);
    }
}
