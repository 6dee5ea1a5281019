using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Config.Model;

namespace Lb.Actors.Persistence;

/// <summary>What the request's persistence cookie said (HAProxy's TX_CK_* states).</summary>
public enum CookieVerdict { None, Valid, Invalid, Down }

/// <summary>
/// 'cookie NAME [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve] [httponly]
/// [secure] [domain D]* [attr A]*': the request's cookie names a server (its 'cookie' value);
/// a usable one gets the request directly, bypassing the balancer. On the response, 'insert'
/// adds Set-Cookie when the request was not sent by its cookie, 'rewrite' and 'prefix' edit the
/// server's own Set-Cookie. 'indirect' (insert) and 'prefix' hide the proxy's cookie from the
/// server. 'nocache' marks a cacheable response with an inserted cookie private (as HAProxy,
/// not for rewrite or prefix).
/// </summary>
public sealed class CookiePersistence
{
    private readonly CookieSettings _s;
    private readonly byte[] _name;
    private readonly string _attributes;

    public CookiePersistence(CookieSettings settings)
    {
        _s = settings;
        _name = Encoding.Latin1.GetBytes(settings.Name);
        var sb = new StringBuilder("; path=/");
        foreach (var d in settings.Domains) sb.Append("; domain=").Append(d);
        if (settings.HttpOnly) sb.Append("; HttpOnly");
        if (settings.Secure) sb.Append("; Secure");
        foreach (var a in settings.Attributes) sb.Append("; ").Append(a);
        _attributes = sb.ToString();
    }

    public static CookiePersistence? For(Proxy backend) => backend.Cookie is { Name.Length: > 0 } c ? new CookiePersistence(c) : null;

    /// <summary>
    /// Reads the request's cookie: the server it names when that server can take the request
    /// (up or not, a weight of 0 still counts), and hides the cookie from the server as the
    /// mode requires.
    /// </summary>
    public ServerRuntime? Direct(RequestHead request, BackendSnapshot snapshot, out CookieVerdict verdict)
    {
        verdict = CookieVerdict.None;
        if (!TryFind(request, out int header, out int start, out int length)) return null;
        var value = request.ValueAt(header).Slice(start, length);
        if (_s.Mode == CookieMode.Prefix)
        {
            // "SRV~value": the server sees its own cookie without the prefix; a value without '~'
            // is matched whole and passed on untouched.
            int tilde = value.IndexOf((byte)'~');
            var server = Match(tilde < 0 ? value : value[..tilde], snapshot, out verdict);
            if (tilde >= 0) ReplaceValue(request, header, start, length, value[(tilde + 1)..].ToArray());
            return server;
        }
        var found = Match(value, snapshot, out verdict);
        if (_s.Mode == CookieMode.Insert && _s.Indirect) RemoveCookie(request, header, start, length);
        return found;
    }

    /// <summary>Edits the response for the server that answered and what the request's cookie said.</summary>
    public void Respond(RequestHead request, ResponseHead response, ServerRuntime server, CookieVerdict verdict)
    {
        if (server.Config.Cookie is not { Length: > 0 } cookie) return;
        bool serverSetIt = FindSetCookie(response) >= 0;
        switch (_s.Mode)
        {
            case CookieMode.Insert:
                if (verdict == CookieVerdict.Valid) return;
                if (_s.Preserve && serverSetIt) return;
                if (_s.PostOnly && request.Method != RequestMethod.Post) return;
                response.Add("Set-Cookie", _s.Name + "=" + cookie + _attributes);
                if (_s.NoCache && request.Method is RequestMethod.Get or RequestMethod.Head && IsCacheable(response))
                    response.Add("Cache-control", "private");
                return;
            case CookieMode.Rewrite or CookieMode.Prefix:
                for (int i = FindSetCookie(response); i >= 0; i = FindSetCookie(response, i + 1))
                {
                    var v = response.ValueAt(i);
                    int eq = v.IndexOf((byte)'=');
                    var old = v[(eq + 1)..];
                    int semi = old.IndexOf((byte)';');
                    var oldValue = semi < 0 ? old : old[..semi];
                    var tail = semi < 0 ? ReadOnlySpan<byte>.Empty : old[semi..];
                    var newValue = _s.Mode == CookieMode.Rewrite ? cookie : cookie + "~" + Encoding.Latin1.GetString(oldValue);
                    response.SetValueAt(i, Encoding.Latin1.GetBytes(_s.Name + "=" + newValue + Encoding.Latin1.GetString(tail)));
                }
                return;
        }
    }

    private ServerRuntime? Match(ReadOnlySpan<byte> value, BackendSnapshot snapshot, out CookieVerdict verdict)
    {
        foreach (var s in snapshot.All)
        {
            if (s.Config.Cookie is not { Length: > 0 } c || !Ascii.Equals(value, c)) continue;
            bool usable = snapshot.Active.Contains(s) || snapshot.Backups.Contains(s);
            verdict = usable ? CookieVerdict.Valid : CookieVerdict.Down;
            return usable ? s : null;
        }
        verdict = CookieVerdict.Invalid;
        return null;
    }

    /// <summary>The first NAME=value among the Cookie headers ("a=1; NAME=v; b=2").</summary>
    private bool TryFind(HttpHead head, out int header, out int start, out int length)
    {
        for (header = head.IndexOf("cookie"); header >= 0; header = head.IndexOf("cookie", header + 1))
        {
            var v = head.ValueAt(header);
            int pos = 0;
            while (pos < v.Length)
            {
                int end = v[pos..].IndexOf((byte)';');
                end = end < 0 ? v.Length : pos + end;
                var item = v[pos..end];
                int lead = item.Length - item.TrimStart(" \t"u8).Length;
                var trimmed = item.Trim(" \t"u8);
                if (trimmed.Length > _name.Length && trimmed[_name.Length] == (byte)'=' && trimmed.StartsWith(_name))
                {
                    start = pos + lead + _name.Length + 1;
                    length = trimmed.Length - _name.Length - 1;
                    return true;
                }
                pos = end + 1;
            }
        }
        start = length = 0;
        return false;
    }

    /// <summary>Removes "NAME=value" and its separator; the whole header when nothing is left.</summary>
    private void RemoveCookie(RequestHead request, int header, int valueStart, int valueLength)
    {
        var v = request.ValueAt(header);
        int itemStart = valueStart - _name.Length - 1;
        int itemEnd = valueStart + valueLength;
        var before = v[..itemStart].TrimEnd(" \t;"u8);
        var after = v[itemEnd..].TrimStart(" \t;"u8);
        if (before.IsEmpty && after.IsEmpty) { request.RemoveAt(header); return; }
        var joined = before.IsEmpty ? after.ToArray() : after.IsEmpty ? before.ToArray() : [.. before, .. "; "u8, .. after];
        request.SetValueAt(header, joined);
    }

    private static void ReplaceValue(RequestHead request, int header, int start, int length, byte[] value)
    {
        var v = request.ValueAt(header);
        byte[] joined = [.. v[..start], .. value, .. v[(start + length)..]];
        request.SetValueAt(header, joined);
    }

    private int FindSetCookie(HttpHead response, int from = 0)
    {
        for (int i = response.IndexOf("set-cookie", from); i >= 0; i = response.IndexOf("set-cookie", i + 1))
        {
            var v = response.ValueAt(i).TrimStart(" \t"u8);
            if (v.Length > _name.Length && v[_name.Length] == (byte)'=' && v.StartsWith(_name)) return i;
        }
        return -1;
    }

    /// <summary>
    /// Whether a shared cache could store the response to a GET or HEAD (HAProxy's test, simplified): a cacheable
    /// status, no private/no-cache/no-store, and something that makes it cacheable (max-age,
    /// s-maxage, public, Expires, Last-Modified, ETag).
    /// </summary>
    internal static bool IsCacheable(ResponseHead response)
    {
        if (response.StatusCode is not (200 or 203 or 204 or 206 or 300 or 301 or 404 or 405 or 410 or 414 or 501)) return false;
        bool cacheable = response.Contains("expires") || response.Contains("last-modified") || response.Contains("etag");
        for (int i = response.IndexOf("cache-control"); i >= 0; i = response.IndexOf("cache-control", i + 1))
        {
            var v = response.ValueAt(i);
            if (ContainsToken(v, "private"u8) || ContainsToken(v, "no-cache"u8) || ContainsToken(v, "no-store"u8)) return false;
            if (ContainsToken(v, "public"u8) || ContainsToken(v, "max-age"u8) || ContainsToken(v, "s-maxage"u8)) cacheable = true;
        }
        return cacheable;
    }

    private static bool ContainsToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (var range in list.Split((byte)','))
        {
            var item = list[range].Trim(" \t"u8);
            int eq = item.IndexOf((byte)'=');
            if (eq >= 0) item = item[..eq];
            if (Ascii.EqualsIgnoreCase(item.TrimEnd(" \t"u8), token)) return true;
        }
        return false;
    }
}
