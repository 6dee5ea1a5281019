using Lb.Config.Diagnostics;

namespace Lb.Config.Parsing;

/// <summary>
/// HAProxy 2.x's preprocessor lines: '.if COND', '.elif COND', '.else', '.endif' and the
/// messages '.notice', '.warning', '.alert', '.diag'. Conditions: a number (non-zero is true),
/// defined(VAR), feature(NAME), streq(A,B), strneq(A,B), version_atleast(V), version_before(V),
/// negated with '!' and combined with '&amp;&amp;' and '||' (left to right, && binding tighter).
/// </summary>
internal sealed class ConditionalBlocks
{
    public const string EmulatedVersion = "2.6.0";

    private readonly DiagnosticBag _d;
    private readonly Func<string, string?> _env;
    // One frame per open .if: whether the current branch is active, and whether one was taken.
    private readonly Stack<(bool Active, bool Taken, bool ParentActive, SourceLocation At)> _frames = new();

    public ConditionalBlocks(DiagnosticBag d, Func<string, string?> env)
    {
        _d = d;
        _env = env;
    }

    private bool Active => _frames.Count == 0 || _frames.Peek().Active;

    /// <summary>True when the line is to be parsed; handles directive lines itself.</summary>
    public bool Accept(ConfigLine line)
    {
        var kw = line.Keyword;
        if (!kw.StartsWith('.')) return Active;
        switch (kw)
        {
            case ".if":
                bool parent = Active;
                bool value = parent && Evaluate(line);
                _frames.Push((value, value, parent, line.Location));
                return false;
            case ".elif":
            case ".else":
                if (_frames.Count == 0) { _d.Alert(line.Location, kw, $"'{kw}' without matching '.if'."); return false; }
                var f = _frames.Pop();
                bool take = f.ParentActive && !f.Taken && (kw == ".else" || Evaluate(line));
                _frames.Push((take, f.Taken || take, f.ParentActive, f.At));
                return false;
            case ".endif":
                if (_frames.Count == 0) _d.Alert(line.Location, kw, "'.endif' without matching '.if'.");
                else _frames.Pop();
                return false;
        }
        if (!Active) return false;
        var text = string.Join(' ', line.Words.Skip(1));
        switch (kw)
        {
            case ".alert": _d.Alert(line.Location, kw, text); break;
            case ".warning": _d.Warn(line.Location, kw, text); break;
            case ".notice" or ".diag": _d.Add(new Diagnostic(Severity.Notice, line.Location, kw, text)); break;
            default: _d.Alert(line.Location, kw, $"unknown directive '{kw}'."); break;
        }
        return false;
    }

    public void Finish()
    {
        foreach (var f in _frames) _d.Alert(f.At, ".if", "'.if' block not terminated by '.endif' at end of file.");
        _frames.Clear();
    }

    private bool Evaluate(ConfigLine line)
    {
        if (line.Count < 2) { _d.Alert(line.Location, line.Keyword, $"'{line.Keyword}' expects a condition."); return false; }
        bool result = false;
        bool? group = null;
        for (int i = 1; i < line.Count; i++)
        {
            var w = line[i];
            if (w == "&&") continue;
            if (w == "||")
            {
                result |= group ?? false;
                group = null;
                continue;
            }
            bool term = Term(w, line);
            group = (group ?? true) && term;
        }
        return result | (group ?? false);
    }

    private bool Term(string w, ConfigLine line)
    {
        bool neg = false;
        while (w.StartsWith('!')) { neg = !neg; w = w[1..]; }
        bool value;
        int open = w.IndexOf('(');
        if (open > 0 && w.EndsWith(')'))
        {
            var fn = w[..open];
            var args = w[(open + 1)..^1].Split(',');
            value = fn switch
            {
                "defined" => _env(args[0]) != null,
                "feature" => false,
                "streq" => args.Length == 2 && args[0] == args[1],
                "strneq" => args.Length == 2 && args[0] != args[1],
                "version_atleast" => Version.TryParse(Pad(args[0]), out var v1) && new Version(EmulatedVersion) >= v1,
                "version_before" => Version.TryParse(Pad(args[0]), out var v2) && new Version(EmulatedVersion) < v2,
                _ => Unknown(fn, line),
            };
        }
        else if (long.TryParse(w, out var n)) value = n != 0;
        else value = w.Length > 0 && Unknown(w, line);
        return neg ? !value : value;
    }

    private static string Pad(string v) => v.Count(c => c == '.') == 0 ? v + ".0" : v;

    private bool Unknown(string what, ConfigLine line)
    {
        _d.Alert(line.Location, line.Keyword, $"unparsable conditional expression '{what}'.");
        return false;
    }
}
