using System.Net;
using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>What the header fetches share: the side (request or response), the name, the occurrence.</summary>
internal abstract class HeaderFetchBase : Fetch
{
    protected HeaderFetchBase(bool response, string? name, int occurrence, bool split)
    {
        Response = response;
        Name = Encoding.Latin1.GetBytes(name ?? "");
        Occurrence = occurrence;
        Split = split;
    }

    protected bool Response { get; }
    protected byte[] Name { get; }
    /// <summary>0: every value in an ACL, the last in an expression.</summary>
    protected int Occurrence { get; }
    protected bool Split { get; }

    public override FetchScope Scope => Response ? FetchScope.Response : FetchScope.Request;

    protected HttpHead? Head(in RuleContext ctx) => Response ? ctx.Response : ctx.Request;
}

/// <summary>hdr(name[,occ]), req.hdr, req.fhdr, res.hdr, shdr, res.fhdr: the header's values as text.</summary>
internal sealed class HeaderFetch(bool response, string? name, int occurrence, bool split) : HeaderFetchBase(response, name, occurrence, split)
{
    public override SampleKind Kind => SampleKind.Str;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (Head(ctx) is not { } head) return false;
        if (Occurrence != 0) return HeaderValues.TryGet(head, Name, Split, Occurrence, out var one) && matcher.MatchString(one);
        var e = new HeaderValues(head, Name, Split);
        while (e.MoveNext())
            if (matcher.MatchString(e.Current)) return true;
        return false;
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (Head(ctx) is not { } head || !HeaderValues.TryGet(head, Name, Split, Occurrence == 0 ? -1 : Occurrence, out var v)) return false;
        output.Append(v);
        return true;
    }
}

/// <summary>hdr_cnt(name), req.fhdr_cnt, res.hdr_cnt...: how many values (lines for fhdr) the header has.</summary>
internal sealed class HeaderCountFetch(bool response, string? name, bool split) : HeaderFetchBase(response, name, 0, split)
{
    public override SampleKind Kind => SampleKind.Int;

    private bool TryGet(in RuleContext ctx, out long count)
    {
        count = 0;
        if (Head(ctx) is not { } head) return false;
        count = HeaderValues.Count(head, Name, Split);
        return true;
    }

    public override bool Matches(in RuleContext ctx, Matcher matcher) => TryGet(ctx, out long n) && matcher.MatchInt(n);

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (!TryGet(ctx, out long n)) return false;
        output.AppendInt(n);
        return true;
    }
}

/// <summary>hdr_val(name[,occ]): each value read as an integer (its leading digits).</summary>
internal sealed class HeaderIntFetch(bool response, string? name, int occurrence) : HeaderFetchBase(response, name, occurrence, split: true)
{
    public override SampleKind Kind => SampleKind.Int;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (Head(ctx) is not { } head) return false;
        if (Occurrence != 0)
            return HeaderValues.TryGet(head, Name, Split, Occurrence, out var one) && IntRange.TryReadLeading(one, out long v1) && matcher.MatchInt(v1);
        var e = new HeaderValues(head, Name, Split);
        while (e.MoveNext())
            if (IntRange.TryReadLeading(e.Current, out long v) && matcher.MatchInt(v)) return true;
        return false;
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (Head(ctx) is not { } head || !HeaderValues.TryGet(head, Name, Split, Occurrence == 0 ? -1 : Occurrence, out var v)
            || !IntRange.TryReadLeading(v, out long n)) return false;
        output.AppendInt(n);
        return true;
    }
}

/// <summary>hdr_ip(name[,occ]): each value that parses as an IPv4 or IPv6 address.</summary>
internal sealed class HeaderIpFetch(bool response, string? name, int occurrence) : HeaderFetchBase(response, name, occurrence, split: true)
{
    public override SampleKind Kind => SampleKind.Ip;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (Head(ctx) is not { } head) return false;
        if (Occurrence != 0)
            return HeaderValues.TryGet(head, Name, Split, Occurrence, out var one) && Parse(one) is { } ip1 && matcher.MatchIp(ip1);
        var e = new HeaderValues(head, Name, Split);
        while (e.MoveNext())
            if (Parse(e.Current) is { } ip && matcher.MatchIp(ip)) return true;
        return false;
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (Head(ctx) is not { } head || !HeaderValues.TryGet(head, Name, Split, Occurrence == 0 ? -1 : Occurrence, out var v)
            || Parse(v) is not { } ip) return false;
        output.AppendIp(ip);
        return true;
    }

    internal static IPAddress? Parse(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text.Length > 64) return null;
        Span<char> chars = stackalloc char[64];
        int n = Encoding.Latin1.GetChars(text, chars);
        return IPAddress.TryParse(chars[..n], out var ip) ? ip : null;
    }
}
