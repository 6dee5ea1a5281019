using System.Collections.Immutable;
using Lb.Config.Diagnostics;
using Lb.Config.Values;

namespace Lb.Config.Model;

/// <summary>A 'bind' line: one or more addresses sharing the same options.</summary>
public sealed record Bind(
    ImmutableArray<Endpoint> Endpoints,
    ImmutableDictionary<string, string> Options,
    SourceLocation Location)
{
    public string? Name => Options.GetValueOrDefault("name");
    public bool AcceptProxy => Options.ContainsKey("accept-proxy");
    public int? MaxConn => Options.TryGetValue("maxconn", out var v) && int.TryParse(v, out var n) ? n : null;
    public bool Ssl => Options.ContainsKey("ssl");
}
