using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>A request fetch of one text sample computed from the request head.</summary>
internal abstract class RequestTextFetch : Fetch
{
    public override SampleKind Kind => SampleKind.Str;
    public override FetchScope Scope => FetchScope.Request;

    /// <summary>Writes the sample into <paramref name="output"/>, or returns false when there is none.</summary>
    protected abstract bool TryWrite(RequestHead request, ref ValueBuilder output);

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (ctx.Request is not { } request) return false;
        var b = new ValueBuilder(stackalloc byte[256]);
        try
        {
            return TryWrite(request, ref b) && matcher.MatchString(b.Written);
        }
        finally
        {
            b.Dispose();
        }
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output) => ctx.Request is { } r && TryWrite(r, ref output);
}

/// <summary>A request fetch whose sample is a slice of the request head (no copy at all).</summary>
internal abstract class RequestSliceFetch : Fetch
{
    public override SampleKind Kind => SampleKind.Str;
    public override FetchScope Scope => FetchScope.Request;

    protected abstract bool TryGet(RequestHead request, out ReadOnlySpan<byte> sample);

    public override bool Matches(in RuleContext ctx, Matcher matcher) =>
        ctx.Request is { } r && TryGet(r, out var s) && matcher.MatchString(s);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (ctx.Request is not { } r || !TryGet(r, out var s)) return false;
        output.Append(s);
        return true;
    }
}

/// <summary>path: the path of the target, without the query.</summary>
internal sealed class PathFetch : RequestSliceFetch
{
    protected override bool TryGet(RequestHead request, out ReadOnlySpan<byte> sample) => UrlParts.TryPath(request.Target, out sample);
}

/// <summary>pathq: the path with its query.</summary>
internal sealed class PathQueryFetch : RequestSliceFetch
{
    protected override bool TryGet(RequestHead request, out ReadOnlySpan<byte> sample) => UrlParts.TryPathWithQuery(request.Target, out sample);
}

/// <summary>url: the request target as received.</summary>
internal sealed class UrlFetch : RequestSliceFetch
{
    protected override bool TryGet(RequestHead request, out ReadOnlySpan<byte> sample)
    {
        sample = request.Target;
        return true;
    }
}

/// <summary>query: what follows the first '?' of the target.</summary>
internal sealed class QueryFetch : RequestSliceFetch
{
    protected override bool TryGet(RequestHead request, out ReadOnlySpan<byte> sample) => UrlParts.TryQuery(request.Target, out sample);
}

/// <summary>req.ver: the request's HTTP version as "1.1".</summary>
internal sealed class RequestVersionFetch : RequestSliceFetch
{
    protected override bool TryGet(RequestHead request, out ReadOnlySpan<byte> sample)
    {
        sample = VersionText(request.VersionMajor, request.VersionMinor);
        return !sample.IsEmpty;
    }

    internal static ReadOnlySpan<byte> VersionText(int major, int minor) => (major, minor) switch
    {
        (1, 1) => "1.1"u8,
        (1, 0) => "1.0"u8,
        (0, 9) => "0.9"u8,
        (2, 0) => "2.0"u8,
        _ => default,
    };
}

/// <summary>base: the first Host value followed by the path (no query).</summary>
internal sealed class BaseFetch : RequestTextFetch
{
    protected override bool TryWrite(RequestHead request, ref ValueBuilder output)
    {
        if (!HeaderValues.TryGet(request, "host"u8, split: true, 1, out var host))
            return UrlParts.TryPath(request.Target, out var onlyPath) && Append(ref output, onlyPath);
        output.Append(host);
        if (UrlParts.TryPath(request.Target, out var path) && path.Length > 0 && path[0] == (byte)'/') output.Append(path);
        return true;
    }

    private static bool Append(ref ValueBuilder output, ReadOnlySpan<byte> s)
    {
        output.Append(s);
        return true;
    }
}

/// <summary>url_param(name[,delimiters]) / urlp: each value of that query parameter.</summary>
internal sealed class UrlParamFetch(string? name, string? delimiters) : Fetch
{
    private readonly byte[] _name = Encoding.Latin1.GetBytes(name ?? "");
    private readonly byte[] _delimiters = Encoding.Latin1.GetBytes(string.IsNullOrEmpty(delimiters) ? "&" : delimiters);

    public override SampleKind Kind => SampleKind.Str;
    public override FetchScope Scope => FetchScope.Request;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (ctx.Request is not { } request) return false;
        var p = new UrlParts.Params(request.Target, _name, _delimiters);
        while (p.MoveNext())
            if (matcher.MatchString(p.Current)) return true;
        return false;
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (ctx.Request is not { } request) return false;
        var p = new UrlParts.Params(request.Target, _name, _delimiters);
        if (!p.MoveNext()) return false;
        output.Append(p.Current);
        return true;
    }
}

/// <summary>urlp_val(name): the first value of the parameter read as an integer.</summary>
internal sealed class UrlParamIntFetch(string? name, string? delimiters) : IntFetch
{
    private readonly byte[] _name = Encoding.Latin1.GetBytes(name ?? "");
    private readonly byte[] _delimiters = Encoding.Latin1.GetBytes(string.IsNullOrEmpty(delimiters) ? "&" : delimiters);

    public override FetchScope Scope => FetchScope.Request;

    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = 0;
        if (ctx.Request is not { } request) return false;
        var p = new UrlParts.Params(request.Target, _name, _delimiters);
        return p.MoveNext() && IntRange.TryReadLeading(p.Current, out value);
    }
}

/// <summary>url_port: the port of an absolute-form target (80 when it names none).</summary>
internal sealed class UrlPortFetch : IntFetch
{
    public override FetchScope Scope => FetchScope.Request;

    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = 0;
        if (ctx.Request is not { } r || !UrlParts.TryAuthority(r.Target, out var authority)) return false;
        int colon = authority.LastIndexOf((byte)':');
        if (colon < 0 || authority.EndsWith("]"u8)) { value = 80; return true; }
        return IntRange.TryReadLeading(authority[(colon + 1)..], out value);
    }
}

/// <summary>url_ip: the address of an absolute-form target's authority, when it is one.</summary>
internal sealed class UrlIpFetch : IpFetch
{
    public override FetchScope Scope => FetchScope.Request;

    public override System.Net.IPAddress? Get(in RuleContext ctx)
    {
        if (ctx.Request is not { } r || !UrlParts.TryAuthority(r.Target, out var authority)) return null;
        int colon = authority.LastIndexOf((byte)':');
        if (colon > 0 && !authority.EndsWith("]"u8)) authority = authority[..colon];
        if (authority.Length > 2 && authority[0] == (byte)'[') authority = authority[1..^1];
        return HeaderIpFetch.Parse(authority);
    }
}
