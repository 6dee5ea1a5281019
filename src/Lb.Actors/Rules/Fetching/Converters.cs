using System.Globalization;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Rules.Patterns;
using Lb.Config.Diagnostics;

namespace Lb.Actors.Rules.Fetching;

/// <summary>The converters Lb knows: lower, upper and the map family (<see cref="MapConverter"/>).</summary>
internal static class Converters
{
    /// <summary>Compiles one converter ("lower", "map_beg(/f.map,def)"); null with the reason otherwise.</summary>
    public static SampleConverter? Create(string text, BackendRegistry? backends, SourceLocation? at, bool late, out string? error)
    {
        error = null;
        int open = text.IndexOf('(');
        var name = open < 0 ? text : text[..open];
        var args = new List<string>();
        if (open >= 0)
        {
            if (!text.EndsWith(')')) { error = $"missing closing ')' after arguments to converter '{name}'"; return null; }
            args.AddRange(text[(open + 1)..^1].Split(',', 2).Select(a => a.Trim()));
        }
        switch (name)
        {
            case "lower": return new CaseConverter(upper: false);
            case "upper": return new CaseConverter(upper: true);
        }
        if (!MapConverter.TryParseName(name, out var method, out var output, out var unsupported))
        {
            error = $"converter '{name}' is not supported by Lb yet (only 'lower', 'upper' and the map converters)";
            return null;
        }
        if (unsupported != null) { error = unsupported; return null; }
        if (args.Count == 0 || args[0].Length == 0) { error = $"converter '{name}': missing map file name"; return null; }
        byte[]? defaultValue = null;
        if (args.Count > 1)
        {
            if (output == MapOutput.Int)
            {
                if (!long.TryParse(args[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long d))
                { error = $"invalid args in converter '{name}' : unable to parse default value '{args[1]}'"; return null; }
                defaultValue = Encoding.ASCII.GetBytes(d.ToString(CultureInfo.InvariantCulture));
            }
            else defaultValue = Encoding.Latin1.GetBytes(args[1]);
        }
        var store = PatternStore.For(backends);
        var reference = store.MapFileRef(args[0], at, late, out error);
        if (reference is null) { error = $"invalid args in converter '{name}' : {error}"; return null; }
        var converter = new MapConverter(reference, method, output, defaultValue);
        var rejected = converter.Load();
        if (rejected.Count > 0)
        {
            var (entry, why) = rejected[0];
            error = $"invalid args in converter '{name}' : {why.TrimEnd('.')} at line {store.LineOf(reference, entry)} of file '{args[0]}'";
            return null;
        }
        store.Attach(converter, [reference]);
        return converter;
    }
}
