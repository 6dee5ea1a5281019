using System.Text;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// Reads a map file as haproxy does: leading blanks skipped, '#' lines and empty lines ignored,
/// the key up to the first blank, the value from the next non-blank to the end of the line with
/// trailing blanks removed (it may contain blanks).
/// </summary>
public static class MapFile
{
    public static List<(string Key, string Value, int Line)> Read(string path)
    {
        var list = new List<(string, string, int)>();
        int n = 0;
        foreach (var raw in File.ReadLines(path, Encoding.Latin1))
        {
            n++;
            var line = raw.TrimStart(' ', '\t');
            if (line.Length == 0 || line[0] == '#') continue;
            int keyEnd = 0;
            while (keyEnd < line.Length && !char.IsWhiteSpace(line[keyEnd])) keyEnd++;
            var value = line[keyEnd..].TrimStart().TrimEnd(' ', '\t', '\r', '\n');
            list.Add((line[..keyEnd], value, n));
        }
        return list;
    }

    /// <summary>One pattern per line, for '-f': see <see cref="Matching.MatcherFactory.ReadPatternFile"/>.</summary>
    public static List<(string Key, int Line)> ReadPatterns(string path)
    {
        var list = new List<(string, int)>();
        int n = 0;
        foreach (var raw in File.ReadLines(path, Encoding.Latin1))
        {
            n++;
            if (raw.StartsWith('#')) continue;
            var line = raw.TrimStart(' ', '\t').TrimEnd('\r', '\n');
            if (line.Length > 0) list.Add((line, n));
        }
        return list;
    }
}
