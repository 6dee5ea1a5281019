using System.Net;
using System.Text;
using Lb.Config.Model;

namespace Lb.Actors.Http;

/// <summary>
/// option forwardfor [except NET] [header NAME] [if-none], as HAProxy 2.6 applies it (checked on
/// the real haproxy): a new header line "X-Forwarded-For: &lt;client ip&gt;" is APPENDED after the
/// request's headers, even when the client already sent one (the server then sees both lines;
/// joined: "203.0.113.7, 127.0.0.1"). Enabled when the frontend or the backend has the option;
/// the header name is the backend's when it sets one, else the frontend's; the "except" networks
/// of both apply; "if-none" skips when the header is present, unless one of the two proxies
/// enables the option without if-none. Build once per frontend/backend pair, apply per request.
/// </summary>
public sealed class ForwardedFor
{
    public const string DefaultHeader = "X-Forwarded-For";

    private readonly byte[] _name;
    private readonly SourceNetwork[] _except;

    private ForwardedFor(string headerName, SourceNetwork[] except, bool ifNone)
    {
        HeaderName = headerName;
        _name = Encoding.Latin1.GetBytes(headerName);
        _except = except;
        IfNone = ifNone;
    }

    public string HeaderName { get; }

    public bool IfNone { get; }

    /// <summary>The rule for requests going from <paramref name="frontend"/> to
    /// <paramref name="backend"/> (the same proxy twice for a listen section), or null when
    /// neither enables the option.</summary>
    public static ForwardedFor? For(Proxy? frontend, Proxy? backend)
    {
        bool fe = frontend?.HasOption("forwardfor") == true, be = backend?.HasOption("forwardfor") == true;
        if (!fe && !be) return null;
        string? name = null;
        bool always = false;
        var except = new List<SourceNetwork>();
        if (be) Read(backend!.ArgsOf("forwardfor"), ref name, ref always, except);
        if (fe && !ReferenceEquals(frontend, backend))
        {
            string? feName = null;
            Read(frontend!.ArgsOf("forwardfor"), ref feName, ref always, except);
            name ??= feName;
        }
        return new ForwardedFor(name ?? DefaultHeader, except.ToArray(), ifNone: !always);
    }

    /// <summary>Parses the option's arguments alone (e.g. "except 127.0.0.0/8 header X-Real-IP").</summary>
    public static ForwardedFor FromArgs(IReadOnlyList<string> args)
    {
        string? name = null;
        bool always = false;
        var except = new List<SourceNetwork>();
        Read(args, ref name, ref always, except);
        return new ForwardedFor(name ?? DefaultHeader, except.ToArray(), ifNone: !always);
    }

    private static void Read(IReadOnlyList<string> args, ref string? name, ref bool always, List<SourceNetwork> except)
    {
        bool ifNone = false;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "if-none": ifNone = true; break;
                case "header" when i + 1 < args.Count: name = args[++i]; break;
                case "except" when i + 1 < args.Count:
                    if (SourceNetwork.TryParse(args[++i], out var n)) except.Add(n);
                    break;
            }
        }
        if (!ifNone) always = true;
    }

    /// <summary>Is <paramref name="source"/> excluded by an "except" network?</summary>
    public bool IsExcepted(IPAddress source)
    {
        foreach (var n in _except) if (n.Contains(source)) return true;
        return false;
    }

    /// <summary>Appends the header to <paramref name="request"/> for a client at
    /// <paramref name="source"/> (IPv4-mapped IPv6 written as IPv4). Returns whether it did.</summary>
    public bool Apply(RequestHead request, IPAddress source)
    {
        if (IsExcepted(source)) return false;
        if (IfNone && request.Contains(_name)) return false;
        if (source.IsIPv4MappedToIPv6) source = source.MapToIPv4();
        Span<byte> text = stackalloc byte[64];
        if (!source.TryFormat(text, out int written)) return false;
        request.Add(_name, text[..written]);
        return true;
    }
}
