using System.Collections.Immutable;
using Lb.Config.Diagnostics;

namespace Lb.Config.Model;

/// <summary>'use_backend NAME [if|unless COND]' (the name may be a log-format expression).</summary>
public sealed record BackendSwitch(string Backend, Condition? Condition, SourceLocation Location);

/// <summary>'use-server NAME [if|unless COND]'.</summary>
public sealed record ServerSwitch(string Server, Condition? Condition, SourceLocation Location);

/// <summary>
/// An action rule of 'http-request', 'http-response', 'http-after-response', 'tcp-request' or
/// 'tcp-response' (Keyword says which, Stage the tcp-request sub-keyword such as "content").
/// <see cref="Action"/> is the action name, <see cref="Args"/> its arguments before the condition.
/// </summary>
public sealed record ActionRule(
    string Keyword,
    string? Stage,
    string Action,
    ImmutableArray<string> Args,
    Condition? Condition,
    SourceLocation Location)
{
    public override string ToString() =>
        $"{Keyword}{(Stage is null ? "" : " " + Stage)} {Action}{(Args.IsEmpty ? "" : " " + string.Join(' ', Args))}{(Condition is null ? "" : " " + Condition)}";
}

public enum RedirectKind { Location, Prefix, Scheme }

/// <summary>'redirect location|prefix|scheme TARGET [code N] [OPTIONS] [if|unless COND]'.</summary>
public sealed record Redirect(
    RedirectKind Kind,
    string Target,
    int Code,
    ImmutableArray<string> Options,
    Condition? Condition,
    SourceLocation Location);

/// <summary>A 'log' target: address or path, optional length, format, facility, levels, sampling ("RANGES:SIZE").</summary>
public sealed record LogTarget(
    string Address,
    string? Format,
    int? MaxLength,
    string Facility,
    string? Level,
    string? MinLevel,
    SourceLocation Location,
    string? Sample = null);

/// <summary>A keyword that HAProxy knows and the model keeps as written, for later issues.</summary>
public sealed record Directive(ImmutableArray<string> Words, SourceLocation Location)
{
    public string Keyword => Words[0];
    public override string ToString() => string.Join(' ', Words);
}
