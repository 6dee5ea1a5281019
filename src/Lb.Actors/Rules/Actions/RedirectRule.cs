using System.Text;
using Lb.Actors.Http;
using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Format;
using Lb.Config.Model;

namespace Lb.Actors.Rules.Actions;

/// <summary>
/// 'redirect' and 'http-request redirect': answers CODE with a Location built as HAProxy 2.6 does:
/// location = the formatted target; prefix = the target (nothing when it is "/") followed by the
/// request's path and query; scheme = "SCHEME://" + first Host value + path and query.
/// drop-query cuts the query, append-slash adds a missing final '/'. The response carries
/// "content-length: 0", the location, "cache-control: no-cache" for 302/303/307 and the
/// set-cookie / clear-cookie line.
/// </summary>
internal sealed class RedirectRule : HttpRule
{
    private readonly RedirectKind _kind;
    private readonly LogFormat _target;
    private readonly int _code;
    private readonly bool _dropQuery, _appendSlash, _ignoreEmpty, _rootPrefix;
    private readonly byte[]? _cookie;
    private readonly byte[] _statusLine;

    public RedirectRule(RedirectKind kind, LogFormat target, int code, IEnumerable<string> options)
    {
        _kind = kind;
        _target = target;
        _code = code;
        _rootPrefix = kind == RedirectKind.Prefix && target.Constant is { Length: 1 } c && c[0] == (byte)'/';
        foreach (var o in options)
        {
            if (o == "drop-query") _dropQuery = true;
            else if (o == "append-slash") _appendSlash = true;
            else if (o == "ignore-empty") _ignoreEmpty = true;
            else if (o.StartsWith("set-cookie ", StringComparison.Ordinal)) _cookie = Encoding.Latin1.GetBytes(o["set-cookie ".Length..] + "; path=/;");
            else if (o.StartsWith("clear-cookie ", StringComparison.Ordinal)) _cookie = Encoding.Latin1.GetBytes(o["clear-cookie ".Length..] + "; path=/; Max-Age=0;");
        }
        _statusLine = Encoding.Latin1.GetBytes($"HTTP/1.1 {code} {StatusReasons.Redirect(code)}\r\n");
    }

    public int Code => _code;

    public override RuleResult Apply(in RuleContext ctx, HttpHead head, RuleOutcome outcome)
    {
        if (head is not RequestHead request) return RuleResult.Continue;
        var location = new ValueBuilder(stackalloc byte[512]);
        var b = new ValueBuilder(stackalloc byte[1024]);
        try
        {
            if (!BuildLocation(ctx, request, ref location)) return RuleResult.Continue;
            b.Append(_statusLine);
            b.Append("content-length: 0\r\n"u8);
            ResponseWriter.Header(ref b, "location"u8, location.Written);
            if (_code is 302 or 303 or 307) b.Append("cache-control: no-cache\r\n"u8);
            if (_cookie != null) ResponseWriter.Header(ref b, "set-cookie"u8, _cookie);
            ResponseWriter.End(ref b, outcome.Connection);
            return outcome.SetReply(b.ToArray(), close: false);
        }
        finally
        {
            location.Dispose();
            b.Dispose();
        }
    }

    private bool BuildLocation(in RuleContext ctx, RequestHead request, ref ValueBuilder output)
    {
        if (_kind == RedirectKind.Location)
        {
            _target.Write(ctx, ref output);
            return !(_ignoreEmpty && output.Length == 0);
        }
        var path = UrlParts.TryPathWithQuery(request.Target, out var p) ? p : "/"u8;
        if (_dropQuery && path.IndexOf((byte)'?') is int q and >= 0) path = path[..q];
        if (_kind == RedirectKind.Scheme)
        {
            _target.Write(ctx, ref output);
            output.Append("://"u8);
            if (HeaderValues.TryGet(request, "host"u8, split: true, 1, out var host)) output.Append(host);
        }
        else if (!_rootPrefix) _target.Write(ctx, ref output);
        output.Append(path);
        if (_appendSlash && output.Length > 0 && output.Written[^1] != (byte)'/') output.Append((byte)'/');
        return true;
    }
}
