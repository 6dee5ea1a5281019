using System.Text;
using System.Text.RegularExpressions;
using Lb.Actors.Http;
using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Actions;

/// <summary>set-header / add-header NAME FMT: the value is evaluated first (it may read the old
/// header), then set-header removes every NAME line; the new line goes last.</summary>
internal sealed class SetHeaderRule(string name, LogFormat value, bool add) : HttpRule
{
    private readonly byte[] _name = Encoding.Latin1.GetBytes(name);

    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        if (value.Constant is { } constant)
        {
            if (!add) head.Remove(_name);
            head.Add(_name, constant);
            return RuleResult.Continue;
        }
        var b = new ValueBuilder(stackalloc byte[512]);
        try
        {
            value.Write(ctx, ref b);
            if (!add) head.Remove(_name);
            head.Add(_name, b.Written);
        }
        finally { b.Dispose(); }
        return RuleResult.Continue;
    }
}

/// <summary>
/// del-header NAME [-m str|beg|end|sub|reg]: removes the lines whose name matches (exact and
/// case-insensitive by default). A value regex (the legacy reqdel/rspdel translation, written
/// "del-header NAME -m reg VALUE-REGEX") limits it to the NAME lines whose value matches.
/// </summary>
internal sealed class DelHeaderRule : HttpRule
{
    private readonly Matcher? _name;
    private readonly byte[]? _exact;
    private readonly Regex? _value;

    public DelHeaderRule(Matcher name, Regex? value)
    {
        _name = name;
        _value = value;
    }

    /// <summary>An exact name ('-m str', the default), compared case-insensitively.</summary>
    public DelHeaderRule(string exactName, Regex? value)
    {
        _exact = Encoding.Latin1.GetBytes(exactName);
        _value = value;
    }

    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        if (_exact is { } exact)
        {
            // The common case: one name, found by the head's own case-insensitive lookup.
            for (int i = head.IndexOf(exact); i >= 0; i = head.IndexOf(exact, i))
            {
                if (_value is null || MatchesValue(head.ValueAt(i))) head.RemoveAt(i);
                else i++;
            }
            return RuleResult.Continue;
        }
        for (int i = 0; i < head.HeaderCount;)
        {
            if (_name!.MatchString(head.NameAt(i)) && (_value is null || MatchesValue(head.ValueAt(i)))) head.RemoveAt(i);
            else i++;
        }
        return RuleResult.Continue;
    }

    private bool MatchesValue(ReadOnlySpan<byte> value)
    {
        try { return _value!.IsMatch(Encoding.Latin1.GetString(value)); }
        catch (RegexMatchTimeoutException) { return false; }
    }
}

/// <summary>
/// replace-header NAME REGEX FMT (each whole line value) and replace-value (each comma-separated
/// value): a matching value is replaced by FMT with \1.. taken from the match.
/// </summary>
internal sealed class ReplaceHeaderRule(string name, Regex regex, LogFormat replacement, bool perValue) : HttpRule
{
    private readonly byte[] _name = Encoding.Latin1.GetBytes(name);

    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        var fmt = new ValueBuilder(stackalloc byte[256]);
        try
        {
            replacement.Write(ctx, ref fmt);
            Span<byte> resultBuffer = stackalloc byte[512];
            for (int i = head.IndexOf(_name); i >= 0; i = head.IndexOf(_name, i + 1))
            {
                var value = head.ValueAt(i);
                var result = new ValueBuilder(resultBuffer);
                try
                {
                    bool changed = perValue ? ReplaceEach(value, fmt.Written, ref result) : RegexReplacement.TryReplace(regex, value, fmt.Written, ref result);
                    if (changed) head.SetValueAt(i, result.Written);
                }
                finally { result.Dispose(); }
            }
        }
        finally { fmt.Dispose(); }
        return RuleResult.Continue;
    }

    // Each value between commas is replaced in place; the separators stay as they were.
    private bool ReplaceEach(ReadOnlySpan<byte> line, ReadOnlySpan<byte> fmt, ref ValueBuilder output)
    {
        bool changed = false;
        while (true)
        {
            int end = HeaderValues.ValueEnd(line);
            var raw = line[..end];
            var trimmed = HeaderValues.Trim(raw);
            int lead = trimmed.IsEmpty ? raw.Length : raw.IndexOf(trimmed);
            // A replaced value takes the blanks before it with it, as in HAProxy ("a, b" -> "a,B").
            int mark = output.Length;
            if (RegexReplacement.TryReplace(regex, trimmed, fmt, ref output)) changed = true;
            else
            {
                output.Truncate(mark);
                output.Append(raw[..lead]);
                output.Append(trimmed);
            }
            output.Append(raw[(lead + trimmed.Length)..]);
            if (end >= line.Length) break;
            output.Append((byte)',');
            line = line[(end + 1)..];
        }
        return changed;
    }
}
