using System.Text;

namespace Lb.Actors.Persistence;

internal enum StickFetchKind { Source, Cookie, Header, FullHeader, UrlParam, Path }

/// <summary>
/// The sample expression of a stick rule, parsed once: 'src', 'req.cook(NAME)' / 'cook' /
/// 'cookie(NAME)', 'res.cook(NAME)' / 'scook' / 'set-cookie(NAME)', 'hdr(NAME[,OCC])' /
/// 'req.hdr' / 'res.hdr' / 'shdr', 'req.fhdr' / 'res.fhdr', 'url_param(NAME[,DELIM])' / 'urlp',
/// and 'path'. 'cookie' and 'hdr' read the request or the response depending on the rule.
/// Converters (',lower', ...) and other fetches are not supported.
/// </summary>
internal sealed class StickFetch
{
    private StickFetch(StickFetchKind kind, bool response, byte[] name, int occurrence, byte delimiter)
    {
        Kind = kind;
        OnResponse = response;
        Name = name;
        Occurrence = occurrence;
        Delimiter = delimiter;
    }

    public StickFetchKind Kind { get; }

    /// <summary>Reads the response head (cookie and header fetches).</summary>
    public bool OnResponse { get; }

    public byte[] Name { get; }
    public int Occurrence { get; }
    public byte Delimiter { get; }

    /// <param name="responseRule">the rule is 'stick store-response'</param>
    /// <param name="error">why the expression cannot be used</param>
    public static StickFetch? Parse(string pattern, bool responseRule, out string? error)
    {
        error = null;
        var text = pattern.Trim();
        if (HasConverter(text)) { error = $"converters are not supported ('{pattern}')"; return null; }
        int open = text.IndexOf('(');
        string name = open < 0 ? text : text[..open];
        string[] args = [];
        if (open >= 0)
        {
            if (text[^1] != ')') { error = $"malformed expression '{pattern}'"; return null; }
            var inner = text[(open + 1)..^1];
            args = inner.Length == 0 ? [] : inner.Split(',');
        }

        (StickFetchKind Kind, bool? Response) what = name switch
        {
            "src" => (StickFetchKind.Source, null),
            "req.cook" or "cook" => (StickFetchKind.Cookie, false),
            "res.cook" or "scook" or "set-cookie" => (StickFetchKind.Cookie, true),
            "cookie" => (StickFetchKind.Cookie, responseRule),
            "req.hdr" => (StickFetchKind.Header, false),
            "res.hdr" or "shdr" => (StickFetchKind.Header, true),
            "hdr" => (StickFetchKind.Header, responseRule),
            "req.fhdr" => (StickFetchKind.FullHeader, false),
            "res.fhdr" => (StickFetchKind.FullHeader, true),
            "url_param" or "urlp" => (StickFetchKind.UrlParam, false),
            "path" => (StickFetchKind.Path, false),
            _ => ((StickFetchKind)(-1), null),
        };
        if ((int)what.Kind < 0) { error = $"fetch '{name}' is not supported in stick rules"; return null; }
        if (what.Response is { } r && r != responseRule)
        {
            error = r ? $"'{name}' reads the response, which 'stick {(responseRule ? "store-response" : "on|match|store-request")}' does not see"
                      : $"'{name}' reads the request, which 'stick store-response' does not see";
            return null;
        }

        var argName = args.Length > 0 ? Encoding.Latin1.GetBytes(args[0].Trim()) : [];
        int occurrence = 0;
        byte delimiter = (byte)'?';
        switch (what.Kind)
        {
            case StickFetchKind.Source or StickFetchKind.Path when args.Length > 0:
                error = $"'{name}' takes no argument";
                return null;
            case StickFetchKind.Header or StickFetchKind.FullHeader:
                if (argName.Length == 0) { error = $"'{name}' needs a header name"; return null; }
                if (args.Length > 1 && !int.TryParse(args[1].Trim(), out occurrence)) { error = $"'{name}': bad occurrence '{args[1]}'"; return null; }
                break;
            case StickFetchKind.UrlParam:
                if (argName.Length == 0) { error = $"'{name}' needs a parameter name"; return null; }
                if (args.Length > 1 && args[1].Length > 0) delimiter = (byte)args[1][0];
                break;
        }
        return new StickFetch(what.Kind, what.Response ?? responseRule, argName, occurrence, delimiter);
    }

    /// <summary>A ',' outside the fetch's parentheses starts a converter ("src,ipmask(24)").</summary>
    private static bool HasConverter(string text)
    {
        int depth = 0;
        foreach (var c in text)
        {
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) return true;
        }
        return false;
    }

    /// <summary>Writes the key for <paramref name="table"/> into <paramref name="dest"/>; its length, or -1 when the sample is missing or does not fit the type.</summary>
    public int TryKey(in StickContext context, StickTableDefinition table, Span<byte> dest)
    {
        ReadOnlySpan<byte> text;
        switch (Kind)
        {
            case StickFetchKind.Source:
                return context.Source is { } src ? StickKeys.FromAddress(src, table, dest) : -1;
            case StickFetchKind.Cookie:
                var head = OnResponse ? (Http.HttpHead?)context.Response : context.Request;
                if (head is null || !HttpSamples.TryCookie(head, OnResponse, Name, out text)) return -1;
                break;
            case StickFetchKind.Header or StickFetchKind.FullHeader:
                var h = OnResponse ? (Http.HttpHead?)context.Response : context.Request;
                if (h is null || !HttpSamples.TryHeader(h, Name, Occurrence, Kind == StickFetchKind.FullHeader, out text)) return -1;
                break;
            case StickFetchKind.UrlParam:
                if (context.Request is not { } rq || !HttpSamples.TryUrlParam(rq.Target, Name, Delimiter, out text)) return -1;
                break;
            default:
                if (context.Request is not { } rp || !HttpSamples.TryPath(rp.Target, out text)) return -1;
                break;
        }
        return StickKeys.FromText(text, table, dest);
    }
}
