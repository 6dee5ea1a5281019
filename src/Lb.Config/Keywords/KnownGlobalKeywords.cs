namespace Lb.Config.Keywords;

/// <summary>
/// Global keywords HAProxy 2.6 knows that the model keeps as plain directives (SSL, Lua,
/// device detection, pollers, limits...). Anything else that is not parsed is an error.
/// </summary>
internal static class KnownGlobalKeywords
{
    public static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "ca-base", "crt-base", "key-base", "cpu-map", "cluster-secret", "default-path", "expose-experimental-directives",
        "external-check", "grace", "h1-accept-payload-with-any-method", "h1-case-adjust", "h1-case-adjust-file",
        "h2-workaround-bogus-websocket-clients", "hard-stop-after", "close-spread-time", "insecure-fork-wanted",
        "insecure-setuid-wanted", "issuers-chain-path", "localpeer", "log-send-hostname", "lua-load",
        "lua-load-per-thread", "lua-prepend-path", "master-worker", "mworker-max-reloads", "numa-cpu-mapping",
        "pp2-never-send-local", "presetenv", "resetenv", "set-dumpable", "set-var", "set-var-fmt", "setenv", "unsetenv",
        "ssl-default-bind-ciphers", "ssl-default-bind-ciphersuites", "ssl-default-bind-curves",
        "ssl-default-bind-options", "ssl-default-bind-sigalgs", "ssl-default-bind-client-sigalgs",
        "ssl-default-server-ciphers", "ssl-default-server-ciphersuites", "ssl-default-server-options",
        "ssl-default-server-curves", "ssl-default-server-sigalgs", "ssl-default-server-client-sigalgs",
        "ssl-dh-param-file", "ssl-propquery", "ssl-provider", "ssl-provider-path", "ssl-server-verify",
        "ssl-skip-self-issued-ca", "ssl-engine", "ssl-mode-async", "ssl-load-extra-files", "ssl-load-extra-del-ext",
        "strict-limits", "thread-group", "thread-groups", "unix-bind", "busy-polling", "max-spread-checks",
        "maxconnrate", "maxcomprate", "maxcompcpuusage", "maxpipes", "maxsessrate", "maxsslconn", "maxsslrate",
        "maxzlibmem", "noepoll", "noevports", "nogetaddrinfo", "nokqueue", "nopoll", "noreuseport", "nosplice",
        "profiling.tasks", "profiling.memory", "quiet", "zero-warning", "debug", "anonkey", "fd-hard-limit",
        "httpclient.resolvers.id", "httpclient.resolvers.prefer", "httpclient.retries", "httpclient.ssl.verify",
        "httpclient.ssl.ca-file", "httpclient.timeout.connect", "deviceatlas-json-file", "deviceatlas-log-level",
        "deviceatlas-separator", "deviceatlas-properties-cookie", "51degrees-data-file", "51degrees-property-name-list",
        "51degrees-property-separator", "51degrees-cache-size", "wurfl-data-file", "wurfl-information-list",
        "wurfl-information-list-separator", "wurfl-cache-size", "wurfl-patch-file", "stats", "spread-checks",
        "log-tag", "log", "node", "description", "maxconn", "daemon", "chroot", "user", "group", "uid", "gid",
        "nbproc", "nbthread", "pidfile", "ulimit-n",
    };

    /// <summary>Every tune.* keyword is accepted; the runtime reads the ones it implements.</summary>
    public static bool IsTune(string keyword) => keyword.StartsWith("tune.", StringComparison.Ordinal);
}
