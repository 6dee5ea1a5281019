using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>The type of the samples a fetch returns.</summary>
public enum SampleKind { Bool, Int, Ip, Str, Method }

/// <summary>Where a fetch can find its data: the connection (always), the request head, the response head.</summary>
public enum FetchScope { Layer4, Request, Response }

/// <summary>
/// A sample fetch (src, hdr(host), path, nbsrv(be)...), compiled once with its arguments. In an
/// ACL it hands every sample it finds (all occurrences of a header, each comma-separated value)
/// to the matcher until one matches; in an expression (%[...] in a header value, a Location) it
/// writes its one value. Neither allocates: samples are spans over the head's buffer or stack
/// values.
/// </summary>
public abstract class Fetch
{
    public abstract SampleKind Kind { get; }

    public virtual FetchScope Scope => FetchScope.Layer4;

    /// <summary>ACL semantics: true as soon as one sample satisfies <paramref name="matcher"/>.</summary>
    public abstract bool Matches(in RuleContext ctx, Matcher matcher);

    /// <summary>Expression semantics: appends the value as text; false when there is no sample.</summary>
    public abstract bool AppendTo(in RuleContext ctx, ref ValueBuilder output);
}

/// <summary>A fetch of one integer (ports, counts, status...).</summary>
public abstract class IntFetch : Fetch
{
    public override SampleKind Kind => SampleKind.Int;

    public abstract bool TryGet(in RuleContext ctx, out long value);

    public override bool Matches(in RuleContext ctx, Matcher matcher) => TryGet(ctx, out long v) && matcher.MatchInt(v);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (!TryGet(ctx, out long v)) return false;
        output.AppendInt(v);
        return true;
    }
}

/// <summary>A fetch of one address (src, dst).</summary>
public abstract class IpFetch : Fetch
{
    public override SampleKind Kind => SampleKind.Ip;

    public abstract System.Net.IPAddress? Get(in RuleContext ctx);

    public override bool Matches(in RuleContext ctx, Matcher matcher) => Get(ctx) is { } ip && matcher.MatchIp(ip);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (Get(ctx) is not { } ip) return false;
        output.AppendIp(ip);
        return true;
    }
}

/// <summary>A fetch of one boolean (always_true, req.proto_http...).</summary>
public abstract class BoolFetch : Fetch
{
    public override SampleKind Kind => SampleKind.Bool;

    public abstract bool TryGet(in RuleContext ctx, out bool value);

    public override bool Matches(in RuleContext ctx, Matcher matcher) => TryGet(ctx, out bool v) && matcher.MatchBool(v);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (!TryGet(ctx, out bool v)) return false;
        output.Append(v ? (byte)'1' : (byte)'0');
        return true;
    }
}
