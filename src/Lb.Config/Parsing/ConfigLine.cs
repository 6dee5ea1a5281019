using Lb.Config.Diagnostics;

namespace Lb.Config.Parsing;

/// <summary>One non-empty line of a config file, split into words.</summary>
public sealed record ConfigLine(SourceLocation Location, string[] Words)
{
    public string Keyword => Words[0];
    public int Count => Words.Length;

    /// <summary>Word at index i, or "" past the end (HAProxy's args[] behave the same way).</summary>
    public string this[int i] => i < Words.Length ? Words[i] : "";

    public override string ToString() => string.Join(' ', Words);
}
