using System.Diagnostics;
using System.Net;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Actors.Rules;
using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Patterns;
using Lb.Config;

// Map lookups as the request path does them (a fetch + its converters written into a stack
// buffer, the fetch alone timed the same way and subtracted), a whole routing decision by a
// 10k-entry map, and the time a runtime change takes (the store rebuilds the users' tables).
// Usage: dotnet run -c Release [-- lookups-per-case]

int lookups = args.Length > 0 ? int.Parse(args[0]) : 2_000_000;
var dir = Directory.CreateTempSubdirectory("lb-bench-patterns-");
try
{
    string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(dir.FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }
    var hosts = Write("hosts.map", Enumerable.Range(0, 10_000).Select(i => $"host{i}.example.com be{i % 20}"));
    var prefixes = Write("beg.map", Enumerable.Range(0, 100).Select(i => $"/section{i}/ v{i}"));
    var regexes = Write("reg.map", Enumerable.Range(0, 100).Select(i => $"^/api/v{i}/[a-z]+/[0-9]+$ v{i}"));
    var networks = Write("ip.map", Enumerable.Range(0, 100).Select(i => $"10.{i}.0.0/16 n{i}"));
    var domains = Write("dom.map", Enumerable.Range(0, 100).Select(i => $"site{i}.example.org d{i}"));

    var config = new StringBuilder("defaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n\n");
    config.Append($"frontend fe\n    bind 127.0.0.1:8080\n    use_backend %[req.hdr(host),lower,map({hosts},be_default)]\n    default_backend be_default\n\n");
    for (int i = 0; i < 20; i++) config.Append($"backend be{i}\n    server s{i} 127.0.0.1:{9000 + i}\n");
    config.Append("backend be_default\n    server sd 127.0.0.1:8999\n");
    var loaded = ConfigLoader.LoadText(config.ToString());
    if (loaded.Config is null) { Console.Error.WriteLine(string.Join("\n", loaded.Alerts)); return 1; }
    var backends = BackendRegistry.Build(loaded.Config, _ => null);
    var fe = new FrontendRuntime(loaded.Config.FindProxy("fe")!, backends);
    foreach (var w in fe.Rules.Warnings) Console.Error.WriteLine("warning: " + w);
    var store = PatternStore.For(backends);

    Fetch Compile(string expression) =>
        FetchCatalog.Create(expression, backends, out _, out var error) ?? throw new InvalidOperationException(error);

    var request = Parse("GET /api/v77/orders/12345 HTTP/1.1\r\nHost: host9876.example.com\r\nX-Site: www.site42.example.org\r\n\r\n");
    var cases = new (string Name, string Expression, string Baseline)[]
    {
        ("map_str, 10,000 entries (hit)", $"req.hdr(host),map({hosts},none)", "req.hdr(host)"),
        ("map_str, 10,000 entries (miss)", $"req.hdr(x-site),map({hosts},none)", "req.hdr(x-site)"),
        ("map_beg, 100 entries (miss)", $"path,map_beg({prefixes},none)", "path"),
        ("map_reg, 100 entries (hit at #78)", $"path,map_reg({regexes},none)", "path"),
        ("map_ip, 100 networks (src 10.77.1.2)", $"src,map_ip({networks},none)", "src"),
        ("map_dom, 100 entries (hit at #43)", $"req.hdr(x-site),map_dom({domains},none)", "req.hdr(x-site)"),
    };
    var ctx = new RuleContext(IPEndPoint.Parse("10.77.1.2:40000"), IPEndPoint.Parse("127.0.0.1:8080"), request);
    Console.WriteLine($"{lookups:N0} lookups per case, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
    Console.WriteLine();
    Console.WriteLine("| converter | ns per lookup | bytes | result |");
    Console.WriteLine("|---|---:|---:|---|");
    foreach (var (name, expression, baseline) in cases)
    {
        var fetch = Compile(expression);
        var plain = Compile(baseline);
        var (ns, bytes, result) = Measure(fetch, ctx, lookups);
        var (baseNs, _, _) = Measure(plain, ctx, lookups);
        Console.WriteLine($"| {name} | {Math.Max(0, ns - baseNs):F0} | {bytes:F1} | {result} |");
    }

    var session = fe.Rules.NewSession(fe, IPEndPoint.Parse("10.1.2.3:40000"), IPEndPoint.Parse("127.0.0.1:8080"));
    var (routeNs, routeBytes, backend) = Route(session, "GET / HTTP/1.1\r\nHost: HOST9876.example.com\r\n\r\n", lookups / 4);
    Console.WriteLine();
    Console.WriteLine($"use_backend %[req.hdr(host),lower,map(10,000 entries)]: {routeNs:F0} ns, {routeBytes:F1} bytes per request (-> {backend}).");

    Console.WriteLine();
    Console.WriteLine("| runtime change | ms per command |");
    Console.WriteLine("|---|---:|");
    Change("add map, 10,000-entry map_str map", 50, i => store.Add(true, [hosts, $"new{i}.example.com", "be1"]));
    Change("set map, 10,000-entry map_str map", 50, i => store.Set([hosts, $"new{i}.example.com", "be2"]));
    Change("del map, 10,000-entry map_str map", 50, i => store.Delete(true, [hosts, $"new{i}.example.com"]));
    Compile($"path,map_reg({regexes},none)"); // one user of the regex map is enough to time its rebuild
    Change("add map, 100-entry map_reg map (100 regexes recompiled)", 5, i => store.Add(true, [regexes, $"^/x{i}/", "x"]));
    Change("add map, 100-entry map_beg map", 50, i => store.Add(true, [prefixes, $"/new{i}/", "x"]));
    return 0;

    void Change(string name, int times, Func<int, string> command)
    {
        var first = command(-1); // warm the path
        if (first.Length > 0) throw new InvalidOperationException(first);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < times; i++)
        {
            var reply = command(i);
            if (reply.Length > 0) throw new InvalidOperationException(reply);
        }
        Console.WriteLine($"| {name} | {sw.Elapsed.TotalMilliseconds / times:F2} |");
    }
}
finally
{
    dir.Delete(recursive: true);
}

static RequestHead Parse(string raw)
{
    var parser = HttpHeadParser.ForRequests();
    parser.Feed(Encoding.ASCII.GetBytes(raw));
    return parser.TakeRequest();
}

static (double Ns, double Bytes, string Result) Measure(Fetch fetch, in RuleContext ctx, int lookups)
{
    for (int i = 0; i < 50_000; i++) Once(fetch, ctx);
    const int rounds = 100;
    int perRound = Math.Max(1, lookups / rounds);
    double best = double.MaxValue;
    for (int round = 0; round < rounds; round++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < perRound; i++) Once(fetch, ctx);
        best = Math.Min(best, sw.Elapsed.TotalNanoseconds / perRound);
    }
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < 10_000; i++) Once(fetch, ctx);
    double bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / 10_000.0;
    var b = new ValueBuilder(stackalloc byte[256]);
    var result = fetch.AppendTo(ctx, ref b) ? Encoding.Latin1.GetString(b.Written) : "(none)";
    b.Dispose();
    return (best, bytes, result);
}

static int Once(Fetch fetch, in RuleContext ctx)
{
    var b = new ValueBuilder(stackalloc byte[256]);
    int n = fetch.AppendTo(ctx, ref b) ? b.Length : -1;
    b.Dispose();
    return n;
}

static (double Ns, double Bytes, string Backend) Route(HttpRuleSession session, string raw, int requests)
{
    var parser = HttpHeadParser.ForRequests();
    var bytes = Encoding.ASCII.GetBytes(raw);
    RequestHead Fresh()
    {
        parser.Feed(bytes);
        return parser.TakeRequest();
    }
    for (int i = 0; i < 50_000; i++) { using var r = Fresh(); session.OnRequest(r, ConnectionHeader.None); }
    const int rounds = 100;
    int perRound = Math.Max(1, requests / rounds);
    double best = double.MaxValue, bestParse = double.MaxValue;
    for (int round = 0; round < rounds; round++)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < perRound; i++) { using var r = Fresh(); }
        bestParse = Math.Min(bestParse, sw.Elapsed.TotalNanoseconds / perRound);
        sw.Restart();
        for (int i = 0; i < perRound; i++) { using var r = Fresh(); session.OnRequest(r, ConnectionHeader.None); }
        best = Math.Min(best, sw.Elapsed.TotalNanoseconds / perRound);
    }
    long allocated = 0;
    for (int i = 0; i < 10_000; i++)
    {
        using var r = Fresh();
        long before = GC.GetAllocatedBytesForCurrentThread();
        session.OnRequest(r, ConnectionHeader.None);
        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
    }
    return (best - bestParse, allocated / 10_000.0, session.Backend?.Name ?? "-");
}
