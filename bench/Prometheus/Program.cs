using System.Diagnostics;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;
using Lb.Actors.Stats;
using Lb.Actors.Stats.Prometheus;
using Lb.Config;

// Cost of one scrape of 'use-service prometheus-exporter' (the whole response, as the HTTP stage
// gets it) for B backends of S servers (default 10 x 20), single thread: ms, bytes allocated and
// bytes written per scrape; 'show stat' (CSV) on the same node for comparison.
// Usage: dotnet run -c Release [-- backends servers scrapes]

int backendCount = args.Length > 0 ? int.Parse(args[0]) : 10;
int serverCount = args.Length > 1 ? int.Parse(args[1]) : 20;
int scrapes = args.Length > 2 ? int.Parse(args[2]) : 300;

var cfg = new StringBuilder("global\n    maxconn 5000\ndefaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n");
cfg.Append("frontend prom\n    bind 127.0.0.1:9100\n    http-request use-service prometheus-exporter if { path /metrics }\n    default_backend be0\n");
for (int b = 0; b < backendCount; b++)
{
    cfg.Append($"backend be{b}\n    balance roundrobin\n");
    for (int s = 0; s < serverCount; s++) cfg.Append($"    server s{s} 10.0.{b}.{s + 1}:80 check inter 2s weight {s % 5 + 1}\n");
}
var loaded = ConfigLoader.LoadText(cfg.ToString());
if (loaded.Config is null) { Console.Error.WriteLine(string.Join("\n", loaded.Alerts)); return 1; }
var backends = BackendRegistry.Build(loaded.Config, _ => null);
var node = new NodeStats(loaded.Config, backends);
var query = PromQuery.Default;

// Wall time is inflated on a shared, loaded machine; the process's CPU time (the bench is one
// thread) is the figure to read.
(double Ms, double CpuMs, double Bytes, int Size) Measure(Func<int> scrape)
{
    int size = 0;
    for (int i = 0; i < 30; i++) size = scrape();
    GC.Collect();
    long before = GC.GetAllocatedBytesForCurrentThread();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < scrapes; i++) size = scrape();
    sw.Stop();
    var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
    return (sw.Elapsed.TotalMilliseconds / scrapes, cpuMs / scrapes, (GC.GetAllocatedBytesForCurrentThread() - before) / (double)scrapes, size);
}

var prom = Measure(() => PrometheusService.Render(node, query, ConnectionHeader.None).Length);
var servers = Measure(() => PrometheusService.Render(node, new PromQuery(PromScope.Server, false), ConnectionHeader.None).Length);
var csv = Measure(() => StatsFormats.Csv(StatRows.All(node).ToList()).Length);

Console.WriteLine($"{backendCount} backends x {serverCount} servers, {scrapes} scrapes, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine();
Console.WriteLine("| what | CPU ms per scrape | wall ms | KiB allocated | KiB written |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, r) in new[] { ("/metrics (all scopes)", prom), ("/metrics?scope=server", servers), ("show stat (CSV), for comparison", csv) })
    Console.WriteLine($"| {name} | {r.CpuMs:F2} | {r.Ms:F2} | {r.Bytes / 1024:F0} | {r.Size / 1024.0:F0} |");
return 0;
