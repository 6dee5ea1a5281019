using Lb.Config.Diagnostics;

namespace Lb.Config.Parsing;

/// <summary>
/// Turns the -f arguments into lines: a directory contributes its *.cfg files in name order
/// (as haproxy does), each file is read and every line split into words.
/// </summary>
public static class ConfigReader
{
    public static List<string> ExpandPaths(IEnumerable<string> paths, DiagnosticBag diags)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                files.AddRange(Directory.GetFiles(path, "*.cfg").Order(StringComparer.Ordinal));
            else if (File.Exists(path))
                files.Add(path);
            else
                diags.Alert(null, null, $"Cannot open configuration file/directory {path} : No such file or directory");
        }
        return files;
    }

    public static IEnumerable<ConfigLine> ReadFile(string file, Func<string, string?> env, DiagnosticBag diags)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diags.Alert(null, null, $"Cannot open configuration file {file} : {e.Message}");
            return Array.Empty<ConfigLine>();
        }
        return ReadLines(file, lines, env, diags);
    }

    public static IEnumerable<ConfigLine> ReadLines(string file, IReadOnlyList<string> lines, Func<string, string?> env, DiagnosticBag diags)
    {
        var words = new List<string>();
        var result = new List<ConfigLine>();
        var blocks = new ConditionalBlocks(diags, env);
        for (int i = 0; i < lines.Count; i++)
        {
            var at = new SourceLocation(file, i + 1);
            var error = Tokenizer.Tokenize(lines[i], words, env);
            if (error != null)
            {
                diags.Alert(at, FirstWord(lines[i]), $"{error} in '{lines[i].Trim()}'");
                continue;
            }
            if (words.Count == 0) continue;
            var line = new ConfigLine(at, words.ToArray());
            if (blocks.Accept(line)) result.Add(line);
        }
        blocks.Finish();
        return result;
    }

    private static string? FirstWord(string line)
    {
        var t = line.TrimStart();
        int end = t.IndexOfAny(new[] { ' ', '\t' });
        return end < 0 ? t : t[..end];
    }
}
