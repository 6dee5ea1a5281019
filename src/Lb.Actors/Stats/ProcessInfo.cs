using System.Globalization;
using System.Reflection;
using System.Text;

namespace Lb.Actors.Stats;

/// <summary>
/// 'show info': haproxy 2.6's process fields in its order, with typed tags. Lb reports its own
/// name and version (scripts that parse the format keep working) and fills what it measures;
/// fields about features it does not have (SSL, pipes, compression, peers) are 0.
/// </summary>
public static class ProcessInfo
{
    /// <summary>(position, name, tags) of every field haproxy prints; positions 45, 46 and 51 are unused there too.</summary>
    public static readonly (int Pos, string Name, string Tags)[] Fields =
    [
        (0, "Name", "POS:str"), (1, "Version", "POS:str"), (2, "Release_date", "POS:str"), (3, "Nbthread", "CGS:u32"),
        (4, "Nbproc", "CGS:u32"), (5, "Process_num", "KGP:u32"), (6, "Pid", "SGP:u32"), (7, "Uptime", "MDP:str"),
        (8, "Uptime_sec", "MDP:u32"), (9, "Memmax_MB", "CLP:u32"), (10, "PoolAlloc_MB", "MGP:u32"), (11, "PoolUsed_MB", "MGP:u32"),
        (12, "PoolFailed", "MCP:u32"), (13, "Ulimit-n", "CLP:u32"), (14, "Maxsock", "CLP:u32"), (15, "Maxconn", "CLP:u32"),
        (16, "Hard_maxconn", "CLP:u32"), (17, "CurrConns", "MGP:u32"), (18, "CumConns", "MCP:u32"), (19, "CumReq", "MCP:u32"),
        (20, "MaxSslConns", "MMP:u32"), (21, "CurrSslConns", "MGP:u32"), (22, "CumSslConns", "MCP:u32"), (23, "Maxpipes", "CLP:u32"),
        (24, "PipesUsed", "MGP:u32"), (25, "PipesFree", "MGP:u32"), (26, "ConnRate", "MRP:u32"), (27, "ConnRateLimit", "CLP:u32"),
        (28, "MaxConnRate", "MMP:u32"), (29, "SessRate", "MRP:u32"), (30, "SessRateLimit", "CLP:u32"), (31, "MaxSessRate", "MRP:u32"),
        (32, "SslRate", "MRP:u32"), (33, "SslRateLimit", "CLP:u32"), (34, "MaxSslRate", "MMP:u32"), (35, "SslFrontendKeyRate", "MGP:u32"),
        (36, "SslFrontendMaxKeyRate", "MMP:u32"), (37, "SslFrontendSessionReuse_pct", "MGP:u32"), (38, "SslBackendKeyRate", "MRP:u32"),
        (39, "SslBackendMaxKeyRate", "MMP:u32"), (40, "SslCacheLookups", "MCP:u32"), (41, "SslCacheMisses", "MCP:u32"),
        (42, "CompressBpsIn", "MRP:u32"), (43, "CompressBpsOut", "MRP:u32"), (44, "CompressBpsRateLim", "CLP:u32"),
        (47, "Tasks", "MGP:u32"), (48, "Run_queue", "MGP:u32"), (49, "Idle_pct", "MaP:u32"), (50, "node", "COS:str"),
        (52, "Stopping", "MGP:u32"), (53, "Jobs", "MGP:u32"), (54, "Unstoppable Jobs", "MGP:u32"), (55, "Listeners", "MGP:u32"),
        (56, "ActivePeers", "MGP:u32"), (57, "ConnectedPeers", "MGP:u32"), (58, "DroppedLogs", "MGP:u32"), (59, "BusyPolling", "MGP:u32"),
        (60, "FailedResolutions", "MGP:u32"), (61, "TotalBytesOut", "MGP:u64"), (62, "TotalSplicdedBytesOut", "MGP:u64"),
        (63, "BytesOutRate", "MRP:u64"), (64, "DebugCommandsIssued", "MGP:u32"), (65, "CumRecvLogs", "MCP:u32"),
        (66, "Build info", "POS:str"), (67, "Memmax_bytes", "CLP:u32"), (68, "PoolAlloc_bytes", "MGP:u64"), (69, "PoolUsed_bytes", "MGP:u64"),
        (70, "Start_time_sec", "MDP:u32"), (71, "Tainted", "SGP:str"),
    ];

    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var asm = Assembly.GetEntryAssembly() ?? typeof(ProcessInfo).Assembly;
        var v = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? asm.GetName().Version?.ToString() ?? "0";
        int plus = v.IndexOf('+');
        return plus >= 0 ? v[..plus] : v;
    }

    public static string ReleaseDate { get; } = ReadReleaseDate();

    private static string ReadReleaseDate()
    {
        try
        {
            var path = typeof(ProcessInfo).Assembly.Location;
            return path.Length == 0 ? "" : File.GetLastWriteTimeUtc(path).ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        }
        catch (IOException) { return ""; }
    }

    /// <summary>"0d 0h01m13s", as haproxy writes uptimes.</summary>
    public static string Uptime(long seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400}d {seconds / 3600 % 24}h{seconds / 60 % 60:00}m{seconds % 60:00}s");

    /// <summary>Every field's value, in order.</summary>
    public static IReadOnlyList<string> Values(NodeStats node)
    {
        long upMs = Environment.TickCount64 - node.StartedMs;
        long up = upMs / 1000;
        var (conns, reqs, cur) = node.Totals();
        long bytesOut = 0;
        foreach (var p in node.Proxies) if (p.Frontend is { } fe) bytesOut += fe.BytesOut;
        int maxconn = node.GlobalLimit?.Max ?? node.Config?.Global.MaxConn ?? 0;
        long heap = GC.GetTotalMemory(false);
        int ulimit = OpenFileLimit();
        int listeners = node.Proxies.Where(p => p.Frontend is { State: Frontends.FrontendState.Open }).Sum(p => p.Config.Binds.Sum(b => b.Endpoints.Length));
        string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        return
        [
            "Lb", Version, ReleaseDate, N(Environment.ProcessorCount), "1", "1", N(node.Pid), Uptime(up), N(up), "0",
            N(heap >> 20), N(heap >> 20), "0", N(ulimit), N(ulimit), N(maxconn), N(maxconn), N(cur), N(conns), N(reqs),
            "0", "0", "0", "0", "0", "0", N(node.ConnectionRate.Rate), N(node.Limits.ConnectionRate), N(node.ConnectionRate.Max),
            N(node.SessionRate.Rate), N(node.Limits.SessionRate), N(node.SessionRate.Max), "0", N(node.Limits.SslSessionRate), "0", "0",
            "0", "0", "0", "0", "0", "0", "0", "0", N(node.Limits.CompressionRate),
            N(ThreadPool.PendingWorkItemCount + ThreadPool.ThreadCount), N(ThreadPool.PendingWorkItemCount), "100", node.NodeName,
            "0", N(cur + listeners), "0", N(listeners), "0", "0", "0", "0", "0", N(bytesOut), "0", "0", "0", "0",
            "Lb " + Version, "0", N(heap), N(heap), N(new DateTimeOffset(node.StartedUtc).ToUnixTimeSeconds()), "0",
        ];
    }

    /// <summary>"Name: value" lines and the final empty line.</summary>
    public static string Text(NodeStats node)
    {
        var values = Values(node);
        var sb = new StringBuilder();
        for (int i = 0; i < Fields.Length; i++) sb.Append(Fields[i].Name).Append(": ").Append(values[i]).Append('\n');
        return sb.Append('\n').ToString();
    }

    /// <summary>'show info typed': "POS.Name.1:TAGS:type:value".</summary>
    public static string Typed(NodeStats node)
    {
        var values = Values(node);
        var sb = new StringBuilder();
        for (int i = 0; i < Fields.Length; i++)
            sb.Append(Fields[i].Pos).Append('.').Append(Fields[i].Name).Append(".1:").Append(Fields[i].Tags).Append(':').Append(values[i]).Append('\n');
        return sb.Append('\n').ToString();
    }

    /// <summary>'show info json'.</summary>
    public static string Json(NodeStats node)
    {
        var values = Values(node);
        var sb = new StringBuilder("[");
        for (int i = 0; i < Fields.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append("{\"field\":{\"pos\":").Append(Fields[i].Pos).Append(",\"name\":\"").Append(Fields[i].Name).Append("\"},\"processNum\":1,\"tags\":");
            StatsFormats.AppendTags(sb, Fields[i].Tags);
            sb.Append(",\"value\":");
            StatsFormats.AppendValue(sb, Fields[i].Tags, values[i]);
            sb.Append('}');
        }
        return sb.Append("]\n").ToString();
    }

    private static int OpenFileLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length > 3 && int.TryParse(parts[3], out var n)) return n;
                }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
