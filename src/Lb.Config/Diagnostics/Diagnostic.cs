namespace Lb.Config.Diagnostics;

public enum Severity { Notice, Warning, Alert }

/// <summary>Where a config line came from.</summary>
public readonly record struct SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>
/// One finding of the parser or validator. <see cref="Keyword"/> is the directive the line starts
/// with (or the argument at fault), so tools and tests can match on it without parsing the text.
/// </summary>
public sealed record Diagnostic(Severity Severity, SourceLocation? Location, string? Keyword, string Message)
{
    public bool IsAlert => Severity == Severity.Alert;

    /// <summary>HAProxy's tag, padded the way haproxy pads it ("[ALERT]    ").</summary>
    public string Tag => Severity switch
    {
        Severity.Alert => "[ALERT]   ",
        Severity.Warning => "[WARNING] ",
        _ => "[NOTICE]  ",
    };

    /// <summary>The message as HAProxy words it: "parsing [FILE:LINE] : text".</summary>
    public string Body => Location is { } at ? $"parsing [{at}] : {Message}" : Message;

    /// <summary>One full line in haproxy's shape: "[ALERT]    (PID) : config : parsing [F:L] : ...".</summary>
    public string Format(int pid) => $"{Tag} ({pid}) : config : {Body}";

    public override string ToString() => $"{Tag.TrimEnd()} {Body}";
}
