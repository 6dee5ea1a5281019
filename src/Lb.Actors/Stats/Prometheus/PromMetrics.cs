namespace Lb.Actors.Stats.Prometheus;

/// <summary>A Prometheus metric type, as the '# TYPE' line names it.</summary>
public enum PromType { Gauge, Counter }

/// <summary>The objects a proxy metric is exported for (haproxy's dumpers, in their order).</summary>
[Flags]
public enum PromObjects { None = 0, F = 1, L = 2, B = 4, S = 8 }

/// <summary>
/// One 'haproxy_process_*' metric: its name after the prefix, its type, the 'show info' field
/// it reads (null: a field haproxy 2.6 prints as NaN here, zlib memory) and its HELP text.
/// </summary>
public sealed record ProcessMetric(string Name, PromType Type, string? InfoField, string Help);

/// <summary>
/// One frontend/listener/backend/server metric: its name after the prefix, the 'show stat'
/// column it reads, its type, which objects export it, and its HELP text.
/// </summary>
public sealed record ProxyMetric(string Name, string Field, PromType Type, PromObjects Objects, string Help)
{
    public int FieldIndex { get; } = StatFields.IndexOf(Field);

    /// <summary>Only exported for proxies in 'mode http' (haproxy skips them elsewhere).</summary>
    public bool HttpOnly { get; } = Field.StartsWith("hrsp_", StringComparison.Ordinal) || Field is "req_rate_max" or "req_tot"
        or "comp_in" or "comp_out" or "comp_byp" or "comp_rsp" or "intercepted" or "cache_lookups" or "cache_hits";

    /// <summary>A time in milliseconds in 'show stat', exported in seconds.</summary>
    public bool InSeconds { get; } = Field is "qtime" or "ctime" or "rtime" or "ttime" or "qtime_max" or "ctime_max" or "rtime_max" or "ttime_max";
}

/// <summary>
/// The metrics of haproxy 2.6's Prometheus exporter (addons/promex), with its names, types and
/// HELP texts as haproxy 2.6.12 prints them, in its order: process metrics in 'show info' order,
/// then, for frontends, listeners, backends and servers in turn, every metric in 'show stat'
/// column order, each over every object. The HELP texts are haproxy's field descriptions, kept
/// verbatim (typos and the "100-199" of every http_responses_total included): dashboards and
/// tests compare them.
/// </summary>
public static class PromMetrics
{
    private const PromType Gauge = PromType.Gauge;
    private const PromType Counter = PromType.Counter;
    private const PromObjects F = PromObjects.F, L = PromObjects.L, B = PromObjects.B, S = PromObjects.S;

    public static readonly ProcessMetric[] Process =
    [
        new("nbthread", Gauge, "Nbthread", "Number of started threads (global.nbthread)"),
        new("nbproc", Gauge, "Nbproc", "Number of started worker processes (historical, always 1)"),
        new("relative_process_id", Gauge, "Process_num", "Relative worker process number (1)"),
        new("uptime_seconds", Gauge, "Uptime_sec", "How long ago this worker process was started (seconds)"),
        new("pool_failures_total", Counter, "PoolFailed", "Number of failed pool allocations since this worker was started"),
        new("max_fds", Gauge, "Ulimit-n", "Hard limit on the number of per-process file descriptors"),
        new("max_sockets", Gauge, "Maxsock", "Hard limit on the number of per-process sockets"),
        new("max_connections", Gauge, "Maxconn", "Hard limit on the number of per-process connections (configured or imposed by Ulimit-n)"),
        new("hard_max_connections", Gauge, "Hard_maxconn", "Hard limit on the number of per-process connections (imposed by Memmax_MB or Ulimit-n)"),
        new("current_connections", Gauge, "CurrConns", "Current number of connections on this worker process"),
        new("connections_total", Counter, "CumConns", "Total number of connections on this worker process since started"),
        new("requests_total", Counter, "CumReq", "Total number of requests on this worker process since started"),
        new("max_ssl_connections", Gauge, "MaxSslConns", "Hard limit on the number of per-process SSL endpoints (front+back), 0=unlimited"),
        new("current_ssl_connections", Gauge, "CurrSslConns", "Current number of SSL endpoints on this worker process (front+back)"),
        new("ssl_connections_total", Counter, "CumSslConns", "Total number of SSL endpoints on this worker process since started (front+back)"),
        new("max_pipes", Gauge, "Maxpipes", "Hard limit on the number of pipes for splicing, 0=unlimited"),
        new("pipes_used_total", Counter, "PipesUsed", "Current number of pipes in use in this worker process"),
        new("pipes_free_total", Counter, "PipesFree", "Current number of allocated and available pipes in this worker process"),
        new("current_connection_rate", Gauge, "ConnRate", "Number of front connections created on this worker process over the last second"),
        new("limit_connection_rate", Gauge, "ConnRateLimit", "Hard limit for ConnRate (global.maxconnrate)"),
        new("max_connection_rate", Gauge, "MaxConnRate", "Highest ConnRate reached on this worker process since started (in connections per second)"),
        new("current_session_rate", Gauge, "SessRate", "Number of sessions created on this worker process over the last second"),
        new("limit_session_rate", Gauge, "SessRateLimit", "Hard limit for SessRate (global.maxsessrate)"),
        new("max_session_rate", Gauge, "MaxSessRate", "Highest SessRate reached on this worker process since started (in sessions per second)"),
        new("current_ssl_rate", Gauge, "SslRate", "Number of SSL connections created on this worker process over the last second"),
        new("limit_ssl_rate", Gauge, "SslRateLimit", "Hard limit for SslRate (global.maxsslrate)"),
        new("max_ssl_rate", Gauge, "MaxSslRate", "Highest SslRate reached on this worker process since started (in connections per second)"),
        new("current_frontend_ssl_key_rate", Gauge, "SslFrontendKeyRate", "Number of SSL keys created on frontends in this worker process over the last second"),
        new("max_frontend_ssl_key_rate", Gauge, "SslFrontendMaxKeyRate", "Highest SslFrontendKeyRate reached on this worker process since started (in SSL keys per second)"),
        new("frontend_ssl_reuse", Gauge, "SslFrontendSessionReuse_pct", "Percent of frontend SSL connections which did not require a new key"),
        new("current_backend_ssl_key_rate", Gauge, "SslBackendKeyRate", "Number of SSL keys created on backends in this worker process over the last second"),
        new("max_backend_ssl_key_rate", Gauge, "SslBackendMaxKeyRate", "Highest SslBackendKeyRate reached on this worker process since started (in SSL keys per second)"),
        new("ssl_cache_lookups_total", Counter, "SslCacheLookups", "Total number of SSL session ID lookups in the SSL session cache on this worker since started"),
        new("ssl_cache_misses_total", Counter, "SslCacheMisses", "Total number of SSL session ID lookups that didn't find a session in the SSL session cache on this worker since started"),
        new("http_comp_bytes_in_total", Counter, "CompressBpsIn", "Number of bytes submitted to the HTTP compressor in this worker process over the last second"),
        new("http_comp_bytes_out_total", Counter, "CompressBpsOut", "Number of bytes emitted by the HTTP compressor in this worker process over the last second"),
        new("limit_http_comp", Gauge, "CompressBpsRateLim", "Limit of CompressBpsOut beyond which HTTP compression is automatically disabled"),
        new("current_zlib_memory", Gauge, null, "Amount of memory currently used by HTTP compression on the current worker process (in bytes)"),
        new("max_zlib_memory", Gauge, null, "Limit on the amount of memory used by HTTP compression above which it is automatically disabled (in bytes, see global.maxzlibmem)"),
        new("current_tasks", Gauge, "Tasks", "Total number of tasks in the current worker process (active + sleeping)"),
        new("current_run_queue", Gauge, "Run_queue", "Total number of active tasks+tasklets in the current worker process"),
        new("idle_time_percent", Gauge, "Idle_pct", "Percentage of last second spent waiting in the current worker thread"),
        new("stopping", Gauge, "Stopping", "1 if the worker process is currently stopping, otherwise zero"),
        new("jobs", Gauge, "Jobs", "Current number of active jobs on the current worker process (frontend connections, master connections, listeners)"),
        new("unstoppable_jobs", Gauge, "Unstoppable Jobs", "Current number of unstoppable jobs on the current worker process (master connections)"),
        new("listeners", Gauge, "Listeners", "Current number of active listeners on the current worker process"),
        new("active_peers", Gauge, "ActivePeers", "Current number of verified active peers connections on the current worker process"),
        new("connected_peers", Gauge, "ConnectedPeers", "Current number of peers having passed the connection step on the current worker process"),
        new("dropped_logs_total", Counter, "DroppedLogs", "Total number of dropped logs for current worker process since started"),
        new("busy_polling_enabled", Gauge, "BusyPolling", "1 if busy-polling is currently in use on the worker process, otherwise zero (config.busy-polling)"),
        new("failed_resolutions", Counter, "FailedResolutions", "Total number of failed DNS resolutions in current worker process since started"),
        new("bytes_out_total", Counter, "TotalBytesOut", "Total number of bytes emitted by current worker process since started"),
        new("spliced_bytes_out_total", Counter, "TotalSplicdedBytesOut", "Total number of bytes emitted by current worker process through a kernel pipe since started"),
        new("bytes_out_rate", Gauge, "BytesOutRate", "Number of bytes emitted by current worker process over the last second"),
        new("recv_logs_total", Counter, "CumRecvLogs", "Total number of log messages received by log-forwarding listeners on this worker process since started"),
        new("build_info", Gauge, "Build info", "Build info"),
        new("max_memory_bytes", Gauge, "Memmax_bytes", "Worker process's hard limit on memory usage in byes (-m on command line)"),
        new("pool_allocated_bytes", Gauge, "PoolAlloc_bytes", "Amount of memory allocated in pools (in bytes)"),
        new("pool_used_bytes", Gauge, "PoolUsed_bytes", "Amount of pool memory currently used (in bytes)"),
        new("start_time_seconds", Gauge, "Start_time_sec", "Start time in seconds"),
    ];

    public static readonly ProxyMetric[] Proxy =
    [
        new("current_queue", "qcur", Gauge, B | S, "Number of current queued connections"),
        new("max_queue", "qmax", Gauge, B | S, "Highest value of queued connections encountered since process started"),
        new("current_sessions", "scur", Gauge, F | L | B | S, "Number of current sessions on the frontend, backend or server"),
        new("max_sessions", "smax", Gauge, F | L | B | S, "Highest value of current sessions encountered since process started"),
        new("limit_sessions", "slim", Gauge, F | L | B | S, "Frontend/listener/server's maxconn, backend's fullconn"),
        new("sessions_total", "stot", Counter, F | L | B | S, "Total number of sessions since process started"),
        new("bytes_in_total", "bin", Counter, F | L | B | S, "Total number of request bytes since process started"),
        new("bytes_out_total", "bout", Counter, F | L | B | S, "Total number of response bytes since process started"),
        new("requests_denied_total", "dreq", Counter, F | L | B, "Total number of denied requests since process started"),
        new("responses_denied_total", "dresp", Counter, F | L | B | S, "Total number of denied responses since process started"),
        new("request_errors_total", "ereq", Counter, F | L, "Total number of invalid requests since process started"),
        new("connection_errors_total", "econ", Counter, B | S, "Total number of failed connections to server since the worker process started"),
        new("response_errors_total", "eresp", Counter, B | S, "Total number of invalid responses since the worker process started"),
        new("retry_warnings_total", "wretr", Counter, B | S, "Total number of server connection retries since the worker process started"),
        new("redispatch_warnings_total", "wredis", Counter, B | S, "Total number of server redispatches due to connection failures since the worker process started"),
        new("status", "status", Gauge, F | L | B | S, "Current status of the service, per state label value."),
        new("weight", "weight", Gauge, B | S, "Server's effective weight, or sum of active servers' effective weights for a backend"),
        new("active_servers", "act", Gauge, B, "Total number of active UP servers with a non-zero weight"),
        new("backup_servers", "bck", Gauge, B, "Total number of backup UP servers with a non-zero weight"),
        new("check_failures_total", "chkfail", Counter, S, "Total number of failed individual health checks per server/backend, since the worker process started"),
        new("check_up_down_total", "chkdown", Counter, B | S, "Total number of failed checks causing UP to DOWN server transitions, per server/backend, since the worker process started"),
        new("check_last_change_seconds", "lastchg", Gauge, B | S, "How long ago the last server state changed, in seconds"),
        new("downtime_seconds_total", "downtime", Counter, B | S, "Total time spent in DOWN state, for server or backend"),
        new("queue_limit", "qlimit", Gauge, S, "Limit on the number of connections in queue, for servers only (maxqueue argument)"),
        new("current_throttle", "throttle", Gauge, S, "Throttling ratio applied to a server's maxconn and weight during the slowstart period (0 to 100%)"),
        new("loadbalanced_total", "lbtot", Counter, B | S, "Total number of requests routed by load balancing since the worker process started (ignores queue pop and stickiness)"),
        new("limit_session_rate", "rate_lim", Gauge, F, "Limit on the number of sessions accepted in a second (frontend only, 'rate-limit sessions' setting)"),
        new("max_session_rate", "rate_max", Gauge, F | B | S, "Highest value of sessions per second observed since the worker process started"),
        new("check_status", "check_status", Gauge, S, "Status of last health check, per state label value."),
        new("check_code", "check_code", Gauge, S, "layer5-7 code, if available of the last health check."),
        new("check_duration_seconds", "check_duration", Gauge, S, "Total duration of the latest server health check, in seconds."),
        new("http_responses_total", "hrsp_1xx", Counter, F | B | S, "Total number of HTTP responses with status 100-199 returned by this object since the worker process started"),
        new("http_requests_rate_max", "req_rate_max", Gauge, F, "Highest value of http requests observed since the worker process started"),
        new("http_requests_total", "req_tot", Counter, F | B, "Total number of HTTP requests processed by this object since the worker process started"),
        new("client_aborts_total", "cli_abrt", Counter, B | S, "Total number of requests or connections aborted by the client since the worker process started"),
        new("server_aborts_total", "srv_abrt", Counter, B | S, "Total number of requests or connections aborted by the server since the worker process started"),
        new("http_comp_bytes_in_total", "comp_in", Counter, F | B, "Total number of bytes submitted to the HTTP compressor for this object since the worker process started"),
        new("http_comp_bytes_out_total", "comp_out", Counter, F | B, "Total number of bytes emitted by the HTTP compressor for this object since the worker process started"),
        new("http_comp_bytes_bypassed_total", "comp_byp", Counter, F | B, "Total number of bytes that bypassed HTTP compression for this object since the worker process started (CPU/memory/bandwidth limitation)"),
        new("http_comp_responses_total", "comp_rsp", Counter, F | B, "Total number of HTTP responses that were compressed for this object since the worker process started"),
        new("last_session_seconds", "lastsess", Gauge, B | S, "How long ago some traffic was seen on this object on this worker process, in seconds"),
        new("queue_time_average_seconds", "qtime", Gauge, B | S, "Avg. queue time for last 1024 successful connections."),
        new("connect_time_average_seconds", "ctime", Gauge, B | S, "Avg. connect time for last 1024 successful connections."),
        new("response_time_average_seconds", "rtime", Gauge, B | S, "Avg. response time for last 1024 successful connections."),
        new("total_time_average_seconds", "ttime", Gauge, B | S, "Avg. total time for last 1024 successful connections."),
        new("connections_rate_max", "conn_rate_max", Gauge, F, "Highest value of connections per second observed since the worker process started"),
        new("connections_total", "conn_tot", Counter, F, "Total number of new connections accepted on this frontend since the worker process started"),
        new("intercepted_requests_total", "intercepted", Counter, F, "Total number of HTTP requests intercepted on the frontend (redirects/stats/services) since the worker process started"),
        new("denied_connections_total", "dcon", Counter, F | L, "Total number of incoming connections blocked on a listener/frontend by a tcp-request connection rule since the worker process started"),
        new("denied_sessions_total", "dses", Counter, F | L, "Total number of incoming sessions blocked on a listener/frontend by a tcp-request connection rule since the worker process started"),
        new("failed_header_rewriting_total", "wrew", Counter, F | L | B | S, "Total number of failed HTTP header rewrites since the worker process started"),
        new("connection_attempts_total", "connect", Counter, B | S, "Total number of outgoing connection attempts on this backend/server since the worker process started"),
        new("connection_reuses_total", "reuse", Counter, B | S, "Total number of reused connection on this backend/server since the worker process started"),
        new("http_cache_lookups_total", "cache_lookups", Counter, F | B, "Total number of HTTP requests looked up in the cache on this frontend/backend since the worker process started"),
        new("http_cache_hits_total", "cache_hits", Counter, F | B, "Total number of HTTP requests not found in the cache on this frontend/backend since the worker process started"),
        new("idle_connections_current", "srv_icur", Gauge, S, "Current number of idle connections available for reuse on this server"),
        new("idle_connections_limit", "src_ilim", Gauge, S, "Limit on the number of available idle connections on this server (server 'pool_max_conn' directive)"),
        new("max_queue_time_seconds", "qtime_max", Gauge, B | S, "Maximum observed time spent in the queue"),
        new("max_connect_time_seconds", "ctime_max", Gauge, B | S, "Maximum observed time spent waiting for a connection to complete"),
        new("max_response_time_seconds", "rtime_max", Gauge, B | S, "Maximum observed time spent waiting for a server response"),
        new("max_total_time_seconds", "ttime_max", Gauge, B | S, "Maximum observed total request+response time (request+queue+connect+response+processing)"),
        new("internal_errors_total", "eint", Counter, F | L | B | S, "Total number of internal errors since process started"),
        new("unsafe_idle_connections_current", "idle_conn_cur", Gauge, S, "Current number of unsafe idle connections"),
        new("safe_idle_connections_current", "safe_conn_cur", Gauge, S, "Current number of safe idle connections"),
        new("used_connections_current", "used_conn_cur", Gauge, S, "Current number of connections in use"),
        new("need_connections_current", "need_conn_est", Gauge, S, "Estimated needed number of connections"),
        new("uweight", "uweight", Gauge, B | S, "Server's user weight, or sum of active servers' user weights for a backend"),
        new("agg_server_status", "agg_server_status", Gauge, B, "Backend's aggregated gauge of servers' status"),
        new("agg_server_check_status", "agg_server_check_status", Gauge, B, "Backend's aggregated gauge of servers' state check status"),
        new("agg_check_status", "agg_check_status", Gauge, B, "Backend's aggregated gauge of servers' state check status"),
    ];

    /// <summary>The sticktable metrics (name, HELP), over every stick table.</summary>
    public static readonly (string Name, string Help)[] StickTable =
    [
        ("size", "Stick table size."),
        ("used", "Number of entries used in this stick table."),
    ];

    /// <summary>The 'state' label values of a server status and of the backend aggregates, in haproxy's order.</summary>
    public static readonly string[] ServerStates = ["DOWN", "UP", "MAINT", "DRAIN", "NOLB"];

    /// <summary>The 'state' label values of a frontend or backend status.</summary>
    public static readonly string[] ProxyStates = ["DOWN", "UP"];

    /// <summary>The 'state' label values of a listener status.</summary>
    public static readonly string[] ListenerStates = ["WAITING", "OPEN", "FULL"];

    /// <summary>The check results haproxy lists for check_status and agg_check_status (finished checks only).</summary>
    public static readonly string[] CheckStates =
        ["HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK"];

    /// <summary>The 'code' label values of http_responses_total, for hrsp_1xx..hrsp_other.</summary>
    public static readonly string[] ResponseCodes = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];
}
