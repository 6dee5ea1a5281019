using System.Diagnostics;
using System.Globalization;
using Lb.Config;
using Lb.Config.Diagnostics;
using Lb.Tests.Config;

// Parses and validates the generated 10,000-line config (LargeConfigGenerator, shared with the
// tests) a number of times and prints min/median/max wall-clock milliseconds per load.
//   usage: ConfigParse [runs=20] [warmup=5] [backends=1000]
int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
int warmup = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

int backendCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
var text = LargeConfigGenerator.Generate(backendCount);
int lines = text.Count(c => c == '\n');

var first = ConfigLoader.LoadText(text, "large.cfg", _ => null);
var alerts = first.Diagnostics.Where(d => d.Severity == Severity.Alert).ToList();
if (alerts.Count > 0 || first.Config is null)
{
    Console.Error.WriteLine($"the generated config does not load ({alerts.Count} alerts):");
    foreach (var a in alerts.Take(10)) Console.Error.WriteLine("  " + a);
    return 1;
}
int backends = first.Config.Backends.Count();
int servers = first.Config.Backends.Sum(b => b.Servers.Length);

for (int i = 0; i < warmup; i++) ConfigLoader.LoadText(text, "large.cfg", _ => null);

var times = new double[runs];
for (int i = 0; i < runs; i++)
{
    // Start each run with a clean heap so one run's garbage is not billed to the next.
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var sw = Stopwatch.StartNew();
    var r = ConfigLoader.LoadText(text, "large.cfg", _ => null);
    times[i] = sw.Elapsed.TotalMilliseconds;
    if (r.Config is null) { Console.Error.WriteLine("load failed on run " + i); return 1; }
}
Array.Sort(times);
double median = runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"config: {lines} lines, {backends} backends, {servers} servers"));
Console.WriteLine(string.Create(inv, $"parse+validate x{runs} (after {warmup} warm-up loads): min {times[0]:F1} ms, median {median:F1} ms, max {times[^1]:F1} ms"));
return 0;
