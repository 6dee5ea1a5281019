using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>What a fetch factory gets: the parsed arguments and the backends (for nbsrv(NAME)...).</summary>
public sealed record FetchArguments(string Name, IReadOnlyList<string> Args, BackendRegistry? Backends)
{
    public string? Arg(int i) => i < Args.Count && Args[i].Length > 0 ? Args[i] : null;
}

/// <summary>
/// Every sample fetch Lb knows, by name, and the ACL derivatives written NAME_SUFFIX (hdr_beg,
/// path_end, url_reg...: the fetch NAME matched with '-m SUFFIX'). Other features add their own
/// fetches with <see cref="Register"/> (the stick-table counters, for instance) before the
/// configuration is compiled.
/// </summary>
public static class FetchCatalog
{
    /// <summary>Builds a fetch from its arguments; throws <see cref="ArgumentException"/> with the reason when they are wrong.</summary>
    public delegate Fetch Factory(FetchArguments args);

    private static readonly ConcurrentDictionary<string, Factory> Entries = new(StringComparer.Ordinal);

    private static readonly string[] MethodSuffixes = ["beg", "end", "sub", "reg", "dom", "dir", "len"];

    static FetchCatalog()
    {
        Add(_ => new ConstantBoolFetch(true), "always_true");
        Add(_ => new ConstantBoolFetch(false), "always_false");
        Add(_ => new AddressFetch(local: false), "src");
        Add(_ => new AddressFetch(local: true), "dst");
        Add(_ => new PortFetch(local: false), "src_port");
        Add(_ => new PortFetch(local: true), "dst_port");
        Add(a => new UsableServersFetch(Backend(a)), "nbsrv");
        Add(a => new BackendConnectionsFetch(Backend(a)), "be_conn");
        Add(a => new BackendQueueFetch(Backend(a)), "queue");
        Add(_ => new FrontendConnectionsFetch(), "fe_conn");
        Add(_ => new ProxyNameFetch(backend: true), "be_name");
        Add(_ => new ProxyNameFetch(backend: false), "fe_name");
        Add(a => new ConstantIntFetch(long.TryParse(a.Arg(0), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw new ArgumentException("int() expects an integer")), "int");
        Add(a => new ConstantTextFetch(Encoding.Latin1.GetBytes(a.Arg(0) ?? "")), "str");
        Add(a => new ConstantBoolFetch(a.Arg(0) is { } b && b != "0" && !b.Equals("false", StringComparison.OrdinalIgnoreCase)), "bool");
        Add(a => new ConstantTextFetch(Encoding.Latin1.GetBytes(Environment.GetEnvironmentVariable(a.Arg(0) ?? throw new ArgumentException("env() expects a variable name")) ?? "")), "env");
        Add(_ => new ConstantTextFetch(Encoding.Latin1.GetBytes(Environment.MachineName)), "hostname");

        Add(a => new HeaderFetch(false, a.Arg(0), Occurrence(a), split: true), "hdr", "req.hdr");
        Add(a => new HeaderFetch(false, a.Arg(0), Occurrence(a), split: false), "req.fhdr");
        Add(a => new HeaderFetch(true, a.Arg(0), Occurrence(a), split: true), "res.hdr", "shdr");
        Add(a => new HeaderFetch(true, a.Arg(0), Occurrence(a), split: false), "res.fhdr");
        Add(a => new HeaderCountFetch(false, a.Arg(0), split: true), "hdr_cnt", "req.hdr_cnt");
        Add(a => new HeaderCountFetch(false, a.Arg(0), split: false), "req.fhdr_cnt");
        Add(a => new HeaderCountFetch(true, a.Arg(0), split: true), "res.hdr_cnt", "shdr_cnt");
        Add(a => new HeaderCountFetch(true, a.Arg(0), split: false), "res.fhdr_cnt");
        Add(a => new HeaderIntFetch(false, a.Arg(0), Occurrence(a)), "hdr_val", "req.hdr_val");
        Add(a => new HeaderIntFetch(true, a.Arg(0), Occurrence(a)), "res.hdr_val", "shdr_val");
        Add(a => new HeaderIpFetch(false, a.Arg(0), Occurrence(a)), "hdr_ip", "req.hdr_ip");
        Add(a => new HeaderIpFetch(true, a.Arg(0), Occurrence(a)), "res.hdr_ip", "shdr_ip");

        Add(_ => new PathFetch(), "path");
        Add(_ => new PathQueryFetch(), "pathq");
        Add(_ => new UrlFetch(), "url");
        Add(_ => new QueryFetch(), "query");
        Add(_ => new BaseFetch(), "base");
        Add(_ => new RequestVersionFetch(), "req.ver", "req_ver");
        Add(_ => new MethodFetch(), "method");
        Add(_ => new ProtoHttpFetch(), "req.proto_http", "req_proto_http");
        Add(a => new UrlParamFetch(a.Arg(0), a.Arg(1)), "url_param", "urlp");
        Add(a => new UrlParamIntFetch(a.Arg(0), a.Arg(1)), "urlp_val");
        Add(_ => new UrlPortFetch(), "url_port");
        Add(_ => new UrlIpFetch(), "url_ip");
        Add(a => new CookieFetch(false, a.Arg(0)), "cook", "req.cook", "cookie");
        Add(a => new CookieFetch(true, a.Arg(0)), "res.cook", "scook", "set-cookie");
        Add(a => new CookieCountFetch(false, a.Arg(0)), "cook_cnt", "req.cook_cnt");
        Add(a => new CookieCountFetch(true, a.Arg(0)), "res.cook_cnt", "scook_cnt");
        Add(a => new CookieIntFetch(false, a.Arg(0)), "cook_val", "req.cook_val");
        Add(a => new CookieIntFetch(true, a.Arg(0)), "res.cook_val", "scook_val");

        Add(a => new HttpAuthFetch(UserlistOf(a)), "http_auth");
        Add(a => new HttpAuthGroupFetch(UserlistOf(a)), "http_auth_group");

        Add(_ => new StatusFetch(), "status");
        Add(_ => new ResponseVersionFetch(), "res.ver", "resp_ver");
    }

    private static void Add(Factory factory, params string[] names)
    {
        foreach (var n in names) Entries[n] = factory;
    }

    /// <summary>Adds (or replaces) a fetch. Call before the configuration is compiled.</summary>
    public static void Register(string name, Factory factory) => Entries[name] = factory;

    public static bool IsKnown(string name) => Entries.ContainsKey(name) || Derivative(name, out _, out _) != null;

    /// <summary>
    /// Compiles "name(args),converters". <paramref name="method"/> is the match method implied by
    /// a derivative's suffix (hdr_beg → beg), else null (the sample type's default applies).
    /// </summary>
    /// <paramref name="at"/> is where the expression is written (map files record their users);
    /// <paramref name="late"/> marks a use haproxy resolves after parsing (use_backend names).
    public static Fetch? Create(string expression, BackendRegistry? backends, out MatchMethod? method, out string? error,
        Lb.Config.Diagnostics.SourceLocation? at = null, bool late = false)
    {
        method = null;
        var parsed = FetchExpression.Parse(expression, out error);
        if (parsed is null) return null;
        if (!Entries.TryGetValue(parsed.Name, out var factory))
        {
            factory = Derivative(parsed.Name, out var baseName, out var suffix);
            if (factory is null)
            {
                error = $"unknown fetch method '{parsed.Name}' (not supported by Lb yet)";
                return null;
            }
            MatchMethods.TryParse(suffix!, out var m);
            method = m;
        }
        Fetch fetch;
        try
        {
            fetch = factory(new FetchArguments(parsed.Name, parsed.Args, backends));
        }
        catch (ArgumentException e)
        {
            error = $"fetch '{parsed.Name}': {e.Message}";
            return null;
        }
        if (parsed.Converters.Count == 0) return fetch;
        var converters = new List<SampleConverter>();
        foreach (var c in parsed.Converters)
        {
            var converter = Converters.Create(c, backends, at, late, out error);
            if (converter is null) return null;
            converters.Add(converter);
        }
        return new ConvertedFetch(fetch, converters);
    }

    private static Factory? Derivative(string name, out string? baseName, out string? suffix)
    {
        baseName = suffix = null;
        int us = name.LastIndexOf('_');
        if (us <= 0) return null;
        var s = name[(us + 1)..];
        if (Array.IndexOf(MethodSuffixes, s) < 0 || !Entries.TryGetValue(name[..us], out var f)) return null;
        baseName = name[..us];
        suffix = s;
        return f;
    }

    private static BackendHandle? Backend(FetchArguments a)
    {
        if (a.Arg(0) is not { } name) return null;
        if (a.Backends is null) throw new ArgumentException($"no backends to look '{name}' up in");
        return a.Backends.Find(name) ?? throw new ArgumentException($"no such backend '{name}'");
    }

    private static Auth.Userlist UserlistOf(FetchArguments a)
    {
        var name = a.Arg(0) ?? throw new ArgumentException("expects a userlist name");
        var section = a.Backends?.Config.OtherSections.FirstOrDefault(s => s.Kind == Lb.Config.Model.SectionKind.Userlist && s.Name == name)
            ?? throw new ArgumentException($"no such userlist '{name}'");
        return Auth.Userlist.From(section, new List<string>()); // its warnings are reported once by the RuleBook
    }

    private static int Occurrence(FetchArguments a) =>
        a.Arg(1) is { } occ ? int.TryParse(occ, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n
            : throw new ArgumentException($"occurrence '{occ}' is not an integer") : 0;
}
