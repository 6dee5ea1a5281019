using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Lb.Actors;
using Lb.Config;

namespace Lb.Tests.DataPlane;

/// <summary>
/// One ActorSystem per test class (xunit class fixture), terminated in <see cref="Dispose"/>.
/// <see cref="StartAsync"/> runs an haproxy.cfg text: in-process Lb by default
/// (<c>ConfigLoader.LoadText</c> + <c>LbRoot.Props(config, started)</c>, awaited before traffic), or
/// — with <c>LB_DATAPLANE_PROXY=haproxy</c> in the environment — the real /usr/sbin/haproxy, so
/// that the same tests check themselves against the reference.
/// </summary>
public sealed class ProxyFixture : IDisposable
{
    public const string ModeVariable = "LB_DATAPLANE_PROXY";
    public const string HaproxyPath = "/usr/sbin/haproxy";

    private static readonly Akka.Configuration.Config Hocon = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """);

    private static int _systems;

    public ProxyFixture()
    {
        System = ActorSystem.Create("dataplane" + Interlocked.Increment(ref _systems), Hocon);
    }

    /// <summary>true: the tests run against haproxy (reference mode), not Lb.</summary>
    public static bool AgainstHaproxy =>
        string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "haproxy", StringComparison.OrdinalIgnoreCase);

    public ActorSystem System { get; }

    /// <summary>Starts the proxy on <paramref name="haproxyCfg"/> and returns once every bind listens.</summary>
    public Task<RunningProxy> StartAsync(string haproxyCfg) =>
        AgainstHaproxy ? RunningProxy.StartHaproxyAsync(haproxyCfg) : RunningProxy.StartLbAsync(System, haproxyCfg);

    public void Dispose()
    {
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}

/// <summary>A proxy serving one configuration; disposing it stops it and closes its sockets.</summary>
public sealed class RunningProxy : IAsyncDisposable
{
    private readonly IActorRef? _root;
    private readonly Process? _process;
    private readonly string? _cfgPath;
    private readonly StringBuilder _output = new();

    private RunningProxy(IActorRef root) => _root = root;

    private RunningProxy(Process process, string cfgPath)
    {
        _process = process;
        _cfgPath = cfgPath;
    }

    public bool InProcess => _root != null;

    /// <summary>The in-process Lb's root actor (null for haproxy).</summary>
    public IActorRef? Root => _root;

    /// <summary>haproxy's output (reference mode only).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    internal static async Task<RunningProxy> StartLbAsync(ActorSystem system, string cfg)
    {
        var loaded = ConfigLoader.LoadText(cfg, "haproxy.cfg", _ => null);
        if (loaded.Config is null)
            throw new InvalidOperationException("config rejected:\n" + string.Join("\n", loaded.Alerts));
        var started = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var root = system.ActorOf(LbRoot.Props(loaded.Config, started));
        var proxy = new RunningProxy(root);
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    internal static async Task<RunningProxy> StartHaproxyAsync(string cfg)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lb-dataplane-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(path, cfg);
        var psi = new ProcessStartInfo(ProxyFixture.HaproxyPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-db");
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add(path);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("haproxy did not start");
        var proxy = new RunningProxy(process, path);
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (proxy._output) proxy._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (proxy._output) proxy._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Wait for the LISTEN sockets without connecting (a probe would reach tcp backends).
        var ports = Regex.Matches(cfg, @"^\s*bind\s+127\.0\.0\.1:(\d+)", RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!ports.All(IsListening))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = proxy.Output;
                await proxy.DisposeAsync();
                throw new InvalidOperationException("haproxy did not start listening:\n" + output);
            }
            await Task.Delay(20);
        }
        return proxy;
    }

    private static bool IsListening(int port)
    {
        var local = $"0100007F:{port:X4}";
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 3 && f[1] == local && f[3] == "0A") return true;
        }
        return false;
    }

    /// <summary>Open file descriptors of the proxy's process (the test process itself for in-process Lb).</summary>
    public int OpenFds() => Directory.GetFileSystemEntries(_process is null ? "/proc/self/fd" : $"/proc/{_process.Id}/fd").Length;

    public async ValueTask DisposeAsync()
    {
        if (_root != null)
        {
            try { await _root.GracefulStop(TimeSpan.FromSeconds(5)); }
            catch (Exception) { /* stopped or timed out: the system's termination ends it */ }
        }
        if (_process != null)
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception) { /* already gone */ }
            _process.Dispose();
        }
        if (_cfgPath != null)
        {
            try { File.Delete(_cfgPath); } catch (IOException) { }
        }
    }
}

/// <summary>Free loopback ports (bind port 0, read it, release it).</summary>
public static class Ports
{
    public static int Free()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
