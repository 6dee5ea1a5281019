using System.Text;

namespace Lb.Actors.Logging;

/// <summary>Per-variable options of log-format: %{+Q}, %{+X}, %{+E}, %{+M}.</summary>
[Flags]
internal enum LogFlags { None = 0, Quote = 1, Hex = 2, Escape = 4, Mandatory = 8 }

/// <summary>One piece of a compiled format: literal text, a separator (a space), a variable, or an
/// unsupported sample expression (%[...], rendered as "-").</summary>
internal readonly record struct LogNode(LogNodeKind Kind, byte[]? Text, LogVariable Variable, LogFlags Flags);

internal enum LogNodeKind { Text, Separator, Variable, Expression }

/// <summary>
/// A log-format string compiled once at load into nodes. Spaces separate (several count as one,
/// and a separator is not repeated after a variable that printed nothing); "%%" is a '%';
/// "%{+Q,-X}name" sets flags; "%{+Q}o" sets the default flags of the variables after it.
/// </summary>
internal sealed class LogFormat
{
    private LogFormat(LogNode[] nodes, string source)
    {
        Nodes = nodes;
        Source = source;
    }

    public LogNode[] Nodes { get; }
    public string Source { get; }

    public bool Uses(LogVariable v) => Nodes.Any(n => n.Kind == LogNodeKind.Variable && n.Variable == v);

    /// <summary>Compiles <paramref name="format"/>; null and <paramref name="error"/> when it is invalid.
    /// <paramref name="warnings"/> gets what is ignored (HTTP variables in TCP mode, sample expressions).</summary>
    public static LogFormat? Compile(string format, bool httpMode, out string? error, List<string>? warnings = null)
    {
        error = null;
        var nodes = new List<LogNode>();
        var text = new StringBuilder();
        var defaults = LogFlags.None;
        int i = 0;
        void FlushText()
        {
            if (text.Length == 0) return;
            nodes.Add(new LogNode(LogNodeKind.Text, Encoding.Latin1.GetBytes(text.ToString()), default, LogFlags.None));
            text.Clear();
        }
        while (i < format.Length)
        {
            char c = format[i];
            if (c == ' ')
            {
                FlushText();
                if (nodes.Count == 0 || nodes[^1].Kind != LogNodeKind.Separator)
                    nodes.Add(new LogNode(LogNodeKind.Separator, null, default, LogFlags.None));
                i++;
                continue;
            }
            if (c != '%') { text.Append(c); i++; continue; }
            i++;
            if (i < format.Length && format[i] == '%') { text.Append('%'); i++; continue; }
            FlushText();
            var flags = defaults;
            string? args = null;
            if (i < format.Length && format[i] == '{')
            {
                int close = format.IndexOf('}', i);
                if (close < 0) { error = $"missing '}}' after '%{{' in log-format '{format}'"; return null; }
                args = format[(i + 1)..close];
                i = close + 1;
            }
            if (i < format.Length && format[i] == '[')
            {
                int end = MatchingBracket(format, i);
                if (end < 0) { error = $"missing ']' in log-format expression at position {i + 1}"; return null; }
                var expr = format[(i + 1)..end];
                warnings?.Add($"log-format: sample expression '%[{expr}]' is not supported and logs '-'");
                nodes.Add(new LogNode(LogNodeKind.Expression, Encoding.Latin1.GetBytes(expr), default, Apply(flags, args)));
                i = end + 1;
                continue;
            }
            int start = i;
            while (i < format.Length && char.IsAsciiLetter(format[i])) i++;
            var name = format[start..i];
            if (name.Length == 0)
            {
                error = $"unexpected character '{(i < format.Length ? format[i] : ' ')}' after '%' at position {start + 1} of log-format '{format}'";
                return null;
            }
            if (!LogVariables.ByName.TryGetValue(name, out var variable))
            {
                error = $"no such format variable '{name}'. If you wanted to emit the '%' character verbatim, you need to use '%%'";
                return null;
            }
            flags = Apply(flags, args);
            if (variable == LogVariable.GlobalOptions) { defaults = flags; continue; }
            if (!httpMode && LogVariables.HttpOnly(variable))
            {
                warnings?.Add($"log-format: variable '%{name}' is reserved for HTTP mode and is ignored");
                continue;
            }
            nodes.Add(new LogNode(LogNodeKind.Variable, null, variable, flags));
        }
        FlushText();
        return new LogFormat(nodes.ToArray(), format);
    }

    private static LogFlags Apply(LogFlags flags, string? args)
    {
        if (args is null) return flags;
        foreach (var arg in args.Split(','))
        {
            if (arg.Length < 2) continue;
            var f = arg[1..] switch { "Q" => LogFlags.Quote, "X" => LogFlags.Hex, "E" => LogFlags.Escape, "M" => LogFlags.Mandatory, _ => LogFlags.None };
            flags = arg[0] == '+' ? flags | f : arg[0] == '-' ? flags & ~f : flags;
        }
        return flags;
    }

    private static int MatchingBracket(string s, int open)
    {
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '[') depth++;
            else if (s[i] == ']' && --depth == 0) return i;
        }
        return -1;
    }
}
