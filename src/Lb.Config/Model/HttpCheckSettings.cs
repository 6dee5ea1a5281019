using System.Collections.Immutable;
using Lb.Config.Diagnostics;

namespace Lb.Config.Model;

/// <summary>One 'http-check expect' rule: [!] status|rstatus|string|rstring|hdr|... PATTERN.</summary>
public sealed record HttpCheckExpect(bool Negated, string Matcher, string Pattern, SourceLocation Location);

/// <summary>
/// Layer-7 check settings from 'option httpchk' and 'http-check'. Defaults are HAProxy's:
/// "OPTIONS / HTTP/1.0", 2xx and 3xx mean up. Headers written in the legacy
/// "HTTP/1.1\r\nHost:\ example" form are split out into <see cref="Headers"/>.
/// </summary>
public sealed record HttpCheckSettings
{
    public bool Enabled { get; init; }
    public string Method { get; init; } = "OPTIONS";
    public string Uri { get; init; } = "/";
    public string Version { get; init; } = "HTTP/1.0";
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = ImmutableArray<KeyValuePair<string, string>>.Empty;
    public string? Body { get; init; }
    public ImmutableArray<HttpCheckExpect> Expects { get; init; } = ImmutableArray<HttpCheckExpect>.Empty;
    public bool DisableOn404 { get; init; }
    public bool SendState { get; init; }
}
