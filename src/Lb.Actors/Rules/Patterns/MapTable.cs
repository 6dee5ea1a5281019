using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// The entries of one reference compiled for one match method: finds the entry a sample
/// matches as haproxy's index would (str: exact key, the first added of equal keys; beg: the
/// longest matching prefix; ip: the most specific network; the others: the first match in list
/// order). Immutable: a change builds a new table. Used by map converters on the data path and
/// by 'get acl|map'. Finding allocates nothing for text methods.
/// </summary>
internal sealed class MapTable
{
    private const int StackChars = 512;
    private readonly MatchMethod _method;
    private readonly bool _ignoreCase;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly int[] _prefixLengths = [];
    private readonly Matcher[] _each = [];
    private readonly int[] _eachEntry = [];
    private readonly IpNetwork[] _networks = [];
    private readonly IntRange[] _ranges = [];

    public static readonly MapTable Empty = new([], [], MatchMethod.Str, false, true);

    private MapTable(PatternEntry[] entries, byte[]?[] values, MatchMethod method, bool ignoreCase, bool compiled)
    {
        Entries = entries;
        Values = values;
        _method = method;
        _ignoreCase = ignoreCase;
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        _exact = keys.GetAlternateLookup<ReadOnlySpan<char>>();
        switch (method)
        {
            case MatchMethod.Str or MatchMethod.Beg when !ignoreCase || method == MatchMethod.Str:
                for (int i = 0; i < entries.Length; i++)
                    keys.TryAdd(ignoreCase ? AsciiLower(entries[i].Key) : entries[i].Key, i);
                if (method == MatchMethod.Beg) _prefixLengths = keys.Keys.Select(k => k.Length).Distinct().OrderDescending().ToArray();
                break;
            case MatchMethod.Ip:
                _networks = new IpNetwork[entries.Length];
                for (int i = 0; i < entries.Length; i++) IpNetwork.TryParse(entries[i].Key, out _networks[i]);
                break;
            case MatchMethod.Int or MatchMethod.Len:
                _ranges = new IntRange[entries.Length];
                for (int i = 0; i < entries.Length; i++)
                {
                    var one = new List<IntRange>(1);
                    if (IntRange.TryParseAll([entries[i].Key], one, out _) && one.Count == 1) _ranges[i] = one[0];
                    else _ranges[i] = new IntRange(1, 0);
                }
                break;
            case MatchMethod.Found or MatchMethod.Bool:
                break;
            default:
                _each = new Matcher[entries.Length];
                for (int i = 0; i < entries.Length; i++) _each[i] = EntryMatcher(entries[i].Key, method, ignoreCase, compiled);
                break;
        }
    }

    public PatternEntry[] Entries { get; }

    /// <summary>Per entry: the output bytes (null for an ACL or an entry whose value did not parse).</summary>
    public byte[]?[] Values { get; }

    /// <summary>
    /// Builds a table; entries whose key (or, for an int output, value) does not parse are left
    /// out and reported in <paramref name="rejected"/>.
    /// </summary>
    public static MapTable Build(PatternEntry[] entries, MatchMethod method, bool ignoreCase, MapOutput output, bool compiled,
        List<(PatternEntry Entry, string Error)>? rejected = null)
    {
        var kept = new List<PatternEntry>(entries.Length);
        var values = new List<byte[]?>(entries.Length);
        foreach (var e in entries)
        {
            var error = CheckKey(e.Key, method) ?? CheckValue(e.Value, output, out _);
            if (error != null) { rejected?.Add((e, error)); continue; }
            kept.Add(e);
            values.Add(output switch
            {
                MapOutput.Str => Encoding.Latin1.GetBytes(e.Value ?? ""),
                MapOutput.Int => Encoding.ASCII.GetBytes(ParseInt(e.Value).ToString(CultureInfo.InvariantCulture)),
                _ => null,
            });
        }
        return new MapTable(kept.ToArray(), values.ToArray(), method, ignoreCase, compiled);
    }

    /// <summary>haproxy's message for a key the method cannot take, else null.</summary>
    public static string? CheckKey(string key, MatchMethod method)
    {
        switch (method)
        {
            case MatchMethod.Int or MatchMethod.Len:
            {
                var one = new List<IntRange>(1);
                return IntRange.TryParseAll([key], one, out _) && one.Count == 1 ? null : $"'{key}' is not a number.";
            }
            case MatchMethod.Ip:
                return IpNetwork.TryParse(key, out _) ? null : $"'{key}' is not a valid IPv4 or IPv6 address.";
            case MatchMethod.Reg:
                try { _ = new Regex(key, RegexOptions.CultureInvariant); return null; }
                catch (ArgumentException e) { return $"regex '{key}' is invalid (error={e.Message})."; }
            case MatchMethod.Bin:
                return key.Length % 2 == 0 && key.All(char.IsAsciiHexDigit) ? null : $"'{key}' is not a valid hex string.";
            default:
                return null;
        }
    }

    /// <summary>haproxy's message for a value an int output cannot take, else null.</summary>
    public static string? CheckValue(string? value, MapOutput output, out long parsed)
    {
        parsed = 0;
        if (output != MapOutput.Int) return null;
        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed) ? null : $"unable to parse '{value}'.";
    }

    private static long ParseInt(string? v) => long.Parse(v!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static Matcher EntryMatcher(string key, MatchMethod method, bool ignoreCase, bool compiled)
    {
        if (method == MatchMethod.Reg)
        {
            var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : 0) | (compiled ? RegexOptions.Compiled : 0);
            return new RegexMatcher([new Regex(key, options, TimeSpan.FromMilliseconds(100))]);
        }
        return MatcherFactory.Create(method, [key], ignoreCase, out _) ?? NeverMatcher.Instance;
    }

    /// <summary>The index of the entry <paramref name="sample"/> matches, or -1.</summary>
    public int Find(ReadOnlySpan<byte> sample)
    {
        switch (_method)
        {
            case MatchMethod.Str:
                return FindExact(sample);
            case MatchMethod.Beg when _each.Length == 0:
                return FindLongestPrefix(sample);
            case MatchMethod.Ip:
                return FindNetwork(sample);
            case MatchMethod.Int:
                return IntRange.TryReadLeading(sample, out long v) ? FindRange(v) : -1;
            case MatchMethod.Len:
                return FindRange(sample.Length);
            case MatchMethod.Found or MatchMethod.Bool:
                return -1;
        }
        for (int i = 0; i < _each.Length; i++)
            if (_each[i].MatchString(sample)) return i;
        return -1;
    }

    private int FindRange(long v)
    {
        for (int i = 0; i < _ranges.Length; i++)
            if (_ranges[i].Contains(v)) return i;
        return -1;
    }

    private int FindNetwork(ReadOnlySpan<byte> sample)
    {
        if (_networks.Length == 0 || sample.Length > 64) return -1;
        int best = -1, bestLength = -1;
        if (IpNetwork.TryParseV4(sample, out uint v4))
        {
            for (int i = 0; i < _networks.Length; i++)
                if (_networks[i].PrefixLength > bestLength && _networks[i].ContainsV4(v4)) { best = i; bestLength = _networks[i].PrefixLength; }
            return best;
        }
        Span<char> text = stackalloc char[64];
        int n = Encoding.Latin1.GetChars(sample, text);
        if (!IPAddress.TryParse(text[..n], out var ip)) return -1;
        for (int i = 0; i < _networks.Length; i++)
            if (_networks[i].PrefixLength > bestLength && _networks[i].Contains(ip)) { best = i; bestLength = _networks[i].PrefixLength; }
        return best;
    }

    private int FindExact(ReadOnlySpan<byte> sample)
    {
        char[]? rented = null;
        Span<char> text = sample.Length <= StackChars ? stackalloc char[sample.Length] : (rented = ArrayPool<char>.Shared.Rent(sample.Length)).AsSpan(0, sample.Length);
        try
        {
            Encoding.Latin1.GetChars(sample, text);
            if (_ignoreCase) Lower(text);
            return _exact.TryGetValue(text, out int i) ? i : -1;
        }
        finally
        {
            if (rented != null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private int FindLongestPrefix(ReadOnlySpan<byte> sample)
    {
        char[]? rented = null;
        Span<char> text = sample.Length <= StackChars ? stackalloc char[sample.Length] : (rented = ArrayPool<char>.Shared.Rent(sample.Length)).AsSpan(0, sample.Length);
        try
        {
            Encoding.Latin1.GetChars(sample, text);
            foreach (int length in _prefixLengths)
                if (length <= text.Length && _exact.TryGetValue(text[..length], out int i)) return i;
            return -1;
        }
        finally
        {
            if (rented != null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string AsciiLower(string s)
    {
        var chars = s.ToCharArray();
        Lower(chars);
        return new string(chars);
    }

    private static void Lower(Span<char> text)
    {
        for (int i = 0; i < text.Length; i++)
            if ((uint)(text[i] - 'A') <= 'Z' - 'A') text[i] = (char)(text[i] | 0x20);
    }
}
