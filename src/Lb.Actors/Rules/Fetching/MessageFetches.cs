using Lb.Actors.Http;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>method: the request method (matched by kind for the well-known ones).</summary>
internal sealed class MethodFetch : Fetch
{
    public override SampleKind Kind => SampleKind.Method;
    public override FetchScope Scope => FetchScope.Request;

    public override bool Matches(in RuleContext ctx, Matcher matcher) =>
        ctx.Request is { } r && matcher.MatchMethod(r.Method, r.MethodBytes);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (ctx.Request is not { } r) return false;
        output.Append(r.MethodBytes);
        return true;
    }
}

/// <summary>req.proto_http: the connection carries an HTTP request (true once its head is parsed).</summary>
internal sealed class ProtoHttpFetch : BoolFetch
{
    public override bool TryGet(in RuleContext ctx, out bool value)
    {
        value = ctx.Request != null;
        return true;
    }
}

/// <summary>status: the response's status code.</summary>
internal sealed class StatusFetch : IntFetch
{
    public override FetchScope Scope => FetchScope.Response;

    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = ctx.Response?.StatusCode ?? 0;
        return ctx.Response != null;
    }
}

/// <summary>res.ver: the response's HTTP version as "1.1".</summary>
internal sealed class ResponseVersionFetch : Fetch
{
    public override SampleKind Kind => SampleKind.Str;
    public override FetchScope Scope => FetchScope.Response;

    public override bool Matches(in RuleContext ctx, Matcher matcher) =>
        ctx.Response is { } r && RequestVersionFetch.VersionText(r.VersionMajor, r.VersionMinor) is { IsEmpty: false } v && matcher.MatchString(v);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (ctx.Response is not { } r) return false;
        var v = RequestVersionFetch.VersionText(r.VersionMajor, r.VersionMinor);
        if (v.IsEmpty) return false;
        output.Append(v);
        return true;
    }
}
