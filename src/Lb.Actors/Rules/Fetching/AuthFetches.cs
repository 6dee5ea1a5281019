using System.Text;
using Lb.Actors.Rules.Auth;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>http_auth(userlist): the request carries valid Basic credentials of a user of the list.</summary>
internal sealed class HttpAuthFetch(Userlist list) : BoolFetch
{
    public override FetchScope Scope => FetchScope.Request;

    public override bool TryGet(in RuleContext ctx, out bool value)
    {
        value = ctx.Request is { } r && list.Authenticate(r, out _) != null;
        return ctx.Request != null;
    }
}

/// <summary>http_auth_group(userlist): the authenticated user's groups in an ACL, its name in an expression.</summary>
internal sealed class HttpAuthGroupFetch(Userlist list) : Fetch
{
    public override SampleKind Kind => SampleKind.Str;
    public override FetchScope Scope => FetchScope.Request;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (ctx.Request is not { } r || list.Authenticate(r, out var groups) is null) return false;
        foreach (var g in groups!)
            if (matcher.MatchString(Encoding.Latin1.GetBytes(g))) return true;
        return false;
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (ctx.Request is not { } r || list.Authenticate(r, out _) is not { } user) return false;
        output.AppendLatin1(user);
        return true;
    }
}
