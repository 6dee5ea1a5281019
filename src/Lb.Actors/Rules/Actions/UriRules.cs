using System.Text.RegularExpressions;
using Lb.Actors.Http;
using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Format;

namespace Lb.Actors.Rules.Actions;

/// <summary>Which part of the request line an action rewrites.</summary>
internal enum UriPart { Path, PathQuery, Query, Uri, Method }

/// <summary>
/// set-path, set-pathq, set-query, set-uri, set-method FMT. set-path keeps the query (and the
/// scheme and authority of an absolute-form target); set-query replaces what follows '?', adding
/// one only for a non-empty query.
/// </summary>
internal sealed class SetUriRule(UriPart part, LogFormat value) : HttpRule
{
    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        if (head is not RequestHead request) return RuleResult.Continue;
        var v = new ValueBuilder(stackalloc byte[512]);
        var target = new ValueBuilder(stackalloc byte[1024]);
        try
        {
            value.Write(ctx, ref v);
            if (part == UriPart.Method) { request.SetMethod(v.Written); return RuleResult.Continue; }
            if (part == UriPart.Uri) { request.SetTarget(v.Written); return RuleResult.Continue; }
            Rewrite(request.Target, part, v.Written, ref target);
            request.SetTarget(target.Written);
        }
        finally
        {
            v.Dispose();
            target.Dispose();
        }
        return RuleResult.Continue;
    }

    /// <summary>The new target: <paramref name="replacement"/> put in place of <paramref name="part"/>.</summary>
    internal static void Rewrite(ReadOnlySpan<byte> target, UriPart part, ReadOnlySpan<byte> replacement, ref ValueBuilder output)
    {
        int pathStart = 0;
        if (UrlParts.TryPathWithQuery(target, out var pathq)) pathStart = target.Length - pathq.Length;
        else pathq = default;
        int q = target.IndexOf((byte)'?');
        switch (part)
        {
            case UriPart.Query:
                if (q >= 0) { output.Append(target[..(q + 1)]); output.Append(replacement); }
                else { output.Append(target); if (!replacement.IsEmpty) { output.Append((byte)'?'); output.Append(replacement); } }
                return;
            case UriPart.Path:
                output.Append(target[..pathStart]);
                output.Append(replacement);
                if (q >= 0) output.Append(target[q..]);
                return;
            default: // PathQuery
                output.Append(target[..pathStart]);
                output.Append(replacement);
                return;
        }
    }
}

/// <summary>replace-path, replace-pathq, replace-uri REGEX FMT: the part is replaced when the regex matches it.</summary>
internal sealed class ReplaceUriRule(UriPart part, Regex regex, LogFormat replacement) : HttpRule
{
    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        if (head is not RequestHead request) return RuleResult.Continue;
        var target = request.Target;
        ReadOnlySpan<byte> subject;
        if (part == UriPart.Uri) subject = target;
        else if (part == UriPart.Path ? UrlParts.TryPath(target, out subject) : UrlParts.TryPathWithQuery(target, out subject)) { }
        else return RuleResult.Continue;
        var fmt = new ValueBuilder(stackalloc byte[256]);
        var replaced = new ValueBuilder(stackalloc byte[512]);
        var result = new ValueBuilder(stackalloc byte[1024]);
        try
        {
            replacement.Write(ctx, ref fmt);
            if (!RegexReplacement.TryReplace(regex, subject, fmt.Written, ref replaced)) return RuleResult.Continue;
            if (part == UriPart.Uri) request.SetTarget(replaced.Written);
            else
            {
                SetUriRule.Rewrite(target, part, replaced.Written, ref result);
                request.SetTarget(result.Written);
            }
        }
        finally
        {
            fmt.Dispose();
            replaced.Dispose();
            result.Dispose();
        }
        return RuleResult.Continue;
    }
}

/// <summary>http-response set-status CODE [reason TEXT].</summary>
internal sealed class SetStatusRule(int status, byte[] reason) : HttpRule
{
    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        if (head is ResponseHead response) response.SetStatus(status, reason);
        return RuleResult.Continue;
    }
}
