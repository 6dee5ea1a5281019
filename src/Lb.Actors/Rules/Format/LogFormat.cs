using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Rules.Fetching;

namespace Lb.Actors.Rules.Format;

/// <summary>
/// A log-format string as rule arguments take it (set-header values, redirect targets, return
/// headers): literal text, "%%", "%[sample expression]" ("%{flags}" accepted, not applied) and the usual
/// aliases (%ci %cp %fi %fp %f %ft %b %H %pid %HM %HU %HP %HQ %HV %r %ST). Compiled once; a
/// constant string is kept as bytes. As HAProxy does in rule arguments (checked: not "-" as in
/// log lines), a sample that is absent writes nothing.
/// </summary>
public sealed class LogFormat
{
    private readonly Part[] _parts;

    private LogFormat(Part[] parts, string text)
    {
        _parts = parts;
        Text = text;
        if (parts.All(p => p is LiteralPart))
            Constant = parts.SelectMany(p => ((LiteralPart)p).Bytes).ToArray();
    }

    public string Text { get; }

    /// <summary>The bytes when the format has no variable part, else null.</summary>
    public byte[]? Constant { get; }

    /// <summary>The fetches used (to check that they fit where the format is evaluated).</summary>
    internal IEnumerable<Fetch> Fetches => _parts.OfType<ExpressionPart>().Select(p => p.Fetch);

    public static LogFormat Literal(string text) => new([new LiteralPart(Encoding.Latin1.GetBytes(text))], text);

    /// <summary>Compiles <paramref name="text"/>; problems go to <paramref name="errors"/> and the
    /// faulty part writes nothing.</summary>
    public static LogFormat Parse(string text, BackendRegistry? backends, ICollection<string> errors,
        Lb.Config.Diagnostics.SourceLocation? at = null, bool late = false)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length == 0) return;
            parts.Add(new LiteralPart(Encoding.Latin1.GetBytes(literal.ToString())));
            literal.Clear();
        }
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '%' || i + 1 >= text.Length) { literal.Append(c); i++; continue; }
            if (text[i + 1] == '%') { literal.Append('%'); i += 2; continue; }
            i++;
            if (text[i] == '{')
            {
                int close = text.IndexOf('}', i);
                if (close < 0) { errors.Add($"missing '}}' in log-format '{text}'"); literal.Append(text[(i - 1)..]); break; }
                // Flags such as +Q change log lines only: haproxy writes rule values unquoted (checked).
                i = close + 1;
                if (i >= text.Length) break;
            }
            Flush();
            if (text[i] == '[')
            {
                int close = FindClose(text, i);
                if (close < 0) { errors.Add($"missing ']' in log-format '{text}'"); parts.Add(new AliasPart(Alias.Unknown)); break; }
                var expr = text[(i + 1)..close];
                var fetch = FetchCatalog.Create(expr, backends, out _, out var error, at, late);
                if (fetch is null) { errors.Add($"log-format '{text}': {error}"); parts.Add(new AliasPart(Alias.Unknown)); }
                else parts.Add(new ExpressionPart(fetch));
                i = close + 1;
                continue;
            }
            int start = i;
            while (i < text.Length && char.IsAsciiLetterOrDigit(text[i])) i++;
            var name = text[start..i];
            var alias = AliasOf(name);
            if (alias == Alias.Unknown) errors.Add($"log-format '{text}': variable '%{name}' is not supported by Lb in rule arguments (written as '-')");
            parts.Add(new AliasPart(alias));
        }
        Flush();
        return new LogFormat(parts.ToArray(), text);
    }

    private static int FindClose(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']' && --depth == 0) return i;
        }
        return -1;
    }

    /// <summary>Appends the evaluated format.</summary>
    public void Write(in RuleContext ctx, ref ValueBuilder output)
    {
        if (Constant is { } constant) { output.Append(constant); return; }
        foreach (var p in _parts) p.Write(ctx, ref output);
    }

    public override string ToString() => Text;

    private enum Alias { Unknown, ClientIp, ClientPort, FrontendIp, FrontendPort, Frontend, Backend, Hostname, Pid, Method, Uri, Path, Query, Version, RequestLine, Status }

    private static Alias AliasOf(string name) => name switch
    {
        "ci" => Alias.ClientIp,
        "cp" => Alias.ClientPort,
        "fi" => Alias.FrontendIp,
        "fp" => Alias.FrontendPort,
        "f" or "ft" => Alias.Frontend,
        "b" => Alias.Backend,
        "H" => Alias.Hostname,
        "pid" => Alias.Pid,
        "HM" => Alias.Method,
        "HU" => Alias.Uri,
        "HP" => Alias.Path,
        "HQ" => Alias.Query,
        "HV" => Alias.Version,
        "r" => Alias.RequestLine,
        "ST" => Alias.Status,
        _ => Alias.Unknown,
    };

    private abstract class Part
    {
        public abstract void Write(in RuleContext ctx, ref ValueBuilder output);
    }

    private sealed class LiteralPart(byte[] bytes) : Part
    {
        public byte[] Bytes { get; } = bytes;
        public override void Write(in RuleContext ctx, ref ValueBuilder output) => output.Append(Bytes);
    }

    private sealed class ExpressionPart(Fetch fetch) : Part
    {
        public Fetch Fetch { get; } = fetch;

        public override void Write(in RuleContext ctx, ref ValueBuilder output) => Fetch.AppendTo(ctx, ref output);
    }

    private static readonly byte[] HostnameBytes = Encoding.Latin1.GetBytes(Environment.MachineName);

    private sealed class AliasPart(Alias alias) : Part
    {
        public override void Write(in RuleContext ctx, ref ValueBuilder output) => WriteValue(ctx, ref output);

        private bool WriteValue(in RuleContext ctx, ref ValueBuilder output)
        {
            var request = ctx.Request;
            switch (alias)
            {
                case Alias.ClientIp when ctx.Client is { } c: output.AppendIp(c.Address); return true;
                case Alias.ClientPort when ctx.Client is { } c: output.AppendInt(c.Port); return true;
                case Alias.FrontendIp when ctx.Local is { } l: output.AppendIp(l.Address); return true;
                case Alias.FrontendPort when ctx.Local is { } l: output.AppendInt(l.Port); return true;
                case Alias.Frontend when ctx.Frontend is { } f: output.AppendLatin1(f.Name); return true;
                case Alias.Backend when (ctx.Backend?.Name ?? ctx.Frontend?.Name) is { } b: output.AppendLatin1(b); return true;
                case Alias.Hostname: output.Append(HostnameBytes); return true;
                case Alias.Pid: output.AppendInt(Environment.ProcessId); return true;
                case Alias.Method when request != null: output.Append(request.MethodBytes); return true;
                case Alias.Uri when request != null: output.Append(request.Target); return true;
                case Alias.Path when request != null && UrlParts.TryPath(request.Target, out var p): output.Append(p); return true;
                case Alias.Query when request != null && UrlParts.TryQuery(request.Target, out var q): output.Append((byte)'?'); output.Append(q); return true;
                case Alias.Version when request != null:
                    output.Append("HTTP/"u8);
                    output.Append(RequestVersionFetch.VersionText(request.VersionMajor, request.VersionMinor));
                    return true;
                case Alias.RequestLine when request != null:
                    output.Append(request.MethodBytes);
                    output.Append((byte)' ');
                    output.Append(request.Target);
                    output.Append(" HTTP/"u8);
                    output.Append(RequestVersionFetch.VersionText(request.VersionMajor, request.VersionMinor));
                    return true;
                case Alias.Status when ctx.Response is { } r: output.AppendInt(r.StatusCode); return true;
                default: return false;
            }
        }
    }
}
