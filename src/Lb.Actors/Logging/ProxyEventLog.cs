using Lb.Actors.Backends;
using Lb.Actors.Health;
using Lb.Config.Model;

namespace Lb.Actors.Logging;

/// <summary>
/// Messages about proxies rather than traffic, sent to a proxy's log targets as haproxy 2.6
/// sends them: server state changes (alert when an UP server goes DOWN, notice otherwise),
/// "backend X has no server available!" (emerg), and on a soft stop "Proxy X stopped
/// (cumulated conns: FE: n, BE: m)." (warning, also printed on stderr).
/// </summary>
public static class ProxyEventLog
{
    /// <summary>The health log of <paramref name="backend"/>: stderr as before, plus its log targets if it has any.</summary>
    public static HealthLog HealthLogFor(LogService service, Proxy backend)
    {
        if (service.For(backend) is not { } targets) return HealthLog.StdErr;
        return new HealthLog(HealthLog.WriteStdErr, service.Pid, (level, text) => service.Post(targets, level, text));
    }

    /// <summary>Every proxy's stop message, in configuration order.</summary>
    public static void Stopped(LogService service, LbConfig config, BackendRegistry backends)
    {
        var stderr = HealthLog.StdErr;
        foreach (var proxy in config.Proxies)
        {
            if (proxy.Disabled) continue;
            long fe = proxy.IsFrontend ? service.FrontendNamed(proxy.Name)?.TotalSessions ?? 0 : 0;
            long be = 0;
            if (proxy.IsBackend && backends.Find(proxy.Name) is { } handle)
                foreach (var s in handle.Snapshot.All) be += s.TotalConns;
            var text = $"Proxy {proxy.Name} stopped (cumulated conns: FE: {fe}, BE: {be}).";
            stderr.Warning(text);
            if (service.For(proxy) is { } targets) service.Post(targets, Syslog.Warning, text);
        }
    }
}
