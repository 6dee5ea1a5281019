using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// haproxy's map converters: map(FILE[,DEFAULT]) = map_str, map_beg, map_sub, map_dir, map_dom,
/// map_end, map_reg, map_int, map_ip, each with a _str or _int output (map_str_int...). The
/// sample is looked up in the current <see cref="MapTable"/> of the file's reference (one
/// volatile read); the value found, else the default, replaces it; neither: no sample.
/// </summary>
internal sealed class MapConverter : SampleConverter, IPatternUser
{
    private readonly PatternReference _ref;
    private readonly byte[]? _default;
    private volatile MapTable _table = MapTable.Empty;

    public MapConverter(PatternReference reference, MatchMethod method, MapOutput output, byte[]? defaultValue)
    {
        _ref = reference;
        Method = method;
        Output2 = output;
        _default = defaultValue;
    }

    public MatchMethod Method { get; }
    public bool IgnoreCaseFor(PatternReference reference) => false;
    private MapOutput Output2 { get; }
    MapOutput IPatternUser.Output => Output2;
    public override SampleKind Output => Output2 == MapOutput.Int ? SampleKind.Int : SampleKind.Str;

    internal MapTable Table => _table;

    /// <summary>Rebuilds the table; returns the entries left out (a key or value that does not parse).</summary>
    public List<(PatternEntry Entry, string Error)> Load()
    {
        var rejected = new List<(PatternEntry, string)>();
        _table = MapTable.Build(_ref.Live, Method, false, Output2, compiled: true, rejected);
        return rejected;
    }

    public void Rebuild() => Load();

    public override bool Apply(ref ValueBuilder output, int start)
    {
        var table = _table;
        int found = table.Find(output.Since(start));
        var value = found >= 0 ? table.Values[found] : _default;
        if (value is null) return false;
        output.Truncate(start);
        output.Append(value);
        return true;
    }

    /// <summary>Parses "map_beg_int" etc.; false when the name is not a map converter Lb knows.</summary>
    public static bool TryParseName(string name, out MatchMethod method, out MapOutput output, out string? unsupported)
    {
        method = MatchMethod.Str;
        output = MapOutput.Str;
        unsupported = null;
        if (name == "map") return true;
        if (!name.StartsWith("map_", StringComparison.Ordinal)) return false;
        var parts = name[4..].Split('_');
        if (parts.Length > 2 || !MatchMethods.TryParse(parts[0], out method)
            || method is not (MatchMethod.Str or MatchMethod.Beg or MatchMethod.Sub or MatchMethod.Dir or MatchMethod.Dom
                or MatchMethod.End or MatchMethod.Reg or MatchMethod.Int or MatchMethod.Ip))
        {
            unsupported = parts[0] == "regm" ? "map_regm is not supported by Lb yet" : null;
            return unsupported != null;
        }
        if (parts.Length == 2)
        {
            switch (parts[1])
            {
                case "str": output = MapOutput.Str; break;
                case "int": output = MapOutput.Int; break;
                case "ip": unsupported = $"converter '{name}': an address output is not supported by Lb yet"; break;
                default: return false;
            }
        }
        return true;
    }
}
