using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>
/// The values of cookie NAME: in the request, every "NAME=value" of every Cookie line (cookies
/// separated by ';' or ','); in the response, the first "NAME=value" of each Set-Cookie line. An
/// empty name takes every cookie.
/// </summary>
internal ref struct CookieValues
{
    private HeaderValues _lines;
    private readonly ReadOnlySpan<byte> _name;
    private readonly bool _response;
    private ReadOnlySpan<byte> _rest;
    private bool _inLine;

    public CookieValues(HttpHead head, ReadOnlySpan<byte> name, bool response)
    {
        _lines = new HeaderValues(head, response ? "set-cookie"u8 : "cookie"u8, split: false);
        _name = name;
        _response = response;
        _rest = default;
        _inLine = false;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public bool MoveNext()
    {
        while (true)
        {
            if (!_inLine)
            {
                if (!_lines.MoveNext()) return false;
                _rest = _lines.Current;
                _inLine = true;
            }
            int end = _response ? _rest.IndexOf((byte)';') : _rest.IndexOfAny((byte)';', (byte)',');
            var pair = HeaderValues.Trim(end < 0 ? _rest : _rest[..end]);
            if (end < 0 || _response) _inLine = false; else _rest = _rest[(end + 1)..];
            int eq = pair.IndexOf((byte)'=');
            if (eq <= 0) continue;
            if (!_name.IsEmpty && !HeaderValues.Trim(pair[..eq]).SequenceEqual(_name)) continue;
            Current = HeaderValues.Trim(pair[(eq + 1)..]);
            return true;
        }
    }
}

/// <summary>cook(name), req.cook, res.cook, scook: the cookie's values (the last one in an expression).</summary>
internal sealed class CookieFetch(bool response, string? name) : Fetch
{
    private readonly byte[] _name = Encoding.Latin1.GetBytes(name ?? "");

    public override SampleKind Kind => SampleKind.Str;
    public override FetchScope Scope => response ? FetchScope.Response : FetchScope.Request;

    private HttpHead? Head(in RuleContext ctx) => response ? ctx.Response : ctx.Request;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (Head(ctx) is not { } head) return false;
        var e = new CookieValues(head, _name, response);
        while (e.MoveNext())
            if (matcher.MatchString(e.Current)) return true;
        return false;
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (Head(ctx) is not { } head) return false;
        var e = new CookieValues(head, _name, response);
        bool found = false;
        ReadOnlySpan<byte> last = default;
        while (e.MoveNext()) { found = true; last = e.Current; }
        if (found) output.Append(last);
        return found;
    }
}

/// <summary>cook_cnt(name): how many times the cookie appears.</summary>
internal sealed class CookieCountFetch(bool response, string? name) : IntFetch
{
    private readonly byte[] _name = Encoding.Latin1.GetBytes(name ?? "");

    public override FetchScope Scope => response ? FetchScope.Response : FetchScope.Request;

    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = 0;
        HttpHead? head = response ? ctx.Response : ctx.Request;
        if (head is null) return false;
        var e = new CookieValues(head, _name, response);
        while (e.MoveNext()) value++;
        return true;
    }
}

/// <summary>cook_val(name): each value of the cookie read as an integer.</summary>
internal sealed class CookieIntFetch(bool response, string? name) : Fetch
{
    private readonly byte[] _name = Encoding.Latin1.GetBytes(name ?? "");

    public override SampleKind Kind => SampleKind.Int;
    public override FetchScope Scope => response ? FetchScope.Response : FetchScope.Request;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        HttpHead? head = response ? ctx.Response : ctx.Request;
        if (head is null) return false;
        var e = new CookieValues(head, _name, response);
        while (e.MoveNext())
            if (IntRange.TryReadLeading(e.Current, out long v) && matcher.MatchInt(v)) return true;
        return false;
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        HttpHead? head = response ? ctx.Response : ctx.Request;
        if (head is null) return false;
        var e = new CookieValues(head, _name, response);
        long last = 0;
        bool found = false;
        while (e.MoveNext()) found = IntRange.TryReadLeading(e.Current, out last);
        if (found) output.AppendInt(last);
        return found;
    }
}
