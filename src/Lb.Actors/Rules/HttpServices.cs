using System.Collections.Concurrent;
using Lb.Actors.Backends;
using Lb.Config.Model;

namespace Lb.Actors.Rules;

/// <summary>
/// The services 'http-request use-service NAME' can name, registered by the features that
/// provide them (the stats feature registers "prometheus-exporter") before the configuration is
/// loaded. A factory is called once per proxy whose rules use the service.
/// </summary>
public static class HttpServices
{
    public delegate IHttpService Factory(Proxy proxy, BackendRegistry backends);

    private static readonly ConcurrentDictionary<string, Factory> Factories = new(StringComparer.Ordinal);

    // The services Lb itself provides, there before any configuration is compiled.
    static HttpServices() =>
        Register(Stats.Prometheus.PrometheusService.Name, (_, backends) => new Stats.Prometheus.PrometheusService(backends));

    public static void Register(string name, Factory factory) => Factories[name] = factory;

    public static bool IsRegistered(string name) => Factories.ContainsKey(name);

    internal static IHttpService? Create(string name, Proxy proxy, BackendRegistry? backends) =>
        backends is not null && Factories.TryGetValue(name, out var f) ? f(proxy, backends) : null;
}
