using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Model;
using Lb.Config.Parsing;

namespace Lb.Config;

/// <summary>
/// Entry point: read haproxy.cfg files (or directories of *.cfg), parse, translate legacy
/// keywords, validate. Never throws on bad input: every problem is a diagnostic with file:line.
/// </summary>
public static class ConfigLoader
{
    public static LoadResult Load(IEnumerable<string> paths, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var diags = new DiagnosticBag();
        var files = ConfigReader.ExpandPaths(paths, diags);
        var parser = new ConfigParser(diags);
        foreach (var file in files)
            parser.Feed(ConfigReader.ReadFile(file, env, diags));
        return parser.Finish(files);
    }

    /// <summary>Parses config text as if it were the file named <paramref name="fileName"/>.</summary>
    public static LoadResult LoadText(string text, string fileName = "haproxy.cfg", Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var diags = new DiagnosticBag();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var parser = new ConfigParser(diags);
        parser.Feed(ConfigReader.ReadLines(fileName, lines, env, diags));
        return parser.Finish(new[] { fileName });
    }
}
