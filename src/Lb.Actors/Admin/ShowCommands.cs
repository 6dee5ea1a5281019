using System.Globalization;
using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>The read-only runtime-API commands: show stat, info, servers state, pools, errors, backend, cli sockets.</summary>
public static class ShowCommands
{
    /// <summary>'show stat [desc|json|no-maint|typed|up]* [{iid|proxy} type sid]'.</summary>
    public static string Stat(CliContext ctx, string[] words)
    {
        bool json = false, typed = false, up = false, noMaint = false;
        int i = 2;
        for (; i < words.Length; i++)
        {
            if (words[i] == "json") json = true;
            else if (words[i] == "typed") typed = true;
            else if (words[i] == "up") up = true;
            else if (words[i] == "no-maint") noMaint = true;
            else if (words[i] == "desc") { }
            else break;
        }
        ProxyStats? only = null;
        int types = -1, sid = -1;
        if (i < words.Length)
        {
            var px = words[i];
            if (px != "-1")
            {
                only = int.TryParse(px, NumberStyles.Integer, CultureInfo.InvariantCulture, out var iid)
                    ? ctx.Node.Proxies.FirstOrDefault(p => p.Id == iid)
                    : ctx.Node.Proxies.FirstOrDefault(p => p.Name == px);
                if (only is null) return "No such proxy.\n";
            }
            if (i + 2 >= words.Length) return "Missing arguments for 'show stat'.\n";
            if (!int.TryParse(words[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out types) ||
                !int.TryParse(words[i + 2], NumberStyles.Integer, CultureInfo.InvariantCulture, out sid))
                return "Missing arguments for 'show stat'.\n";
        }
        var rows = new List<StatRow>();
        foreach (var p in ctx.Node.Proxies)
        {
            if (only != null && !ReferenceEquals(p, only)) continue;
            foreach (var r in StatRows.Of(ctx.Node, p))
            {
                int bit = r.Type switch { StatObject.Frontend or StatObject.Listener => 1, StatObject.Backend => 2, _ => 4 };
                if (types != -1 && (types & bit) == 0) continue;
                if (sid != -1 && r.Type == StatObject.Server && r.ServerId != sid) continue;
                if (r.Type == StatObject.Server)
                {
                    var status = r["status"] ?? "";
                    if (noMaint && status == "MAINT") continue;
                    if (up && !(status.StartsWith("UP", StringComparison.Ordinal) || status == "no check")) continue;
                }
                rows.Add(r);
            }
        }
        // The CLI ends every answer with one newline; the CSV's own last empty line is that one.
        if (json) return StatsFormats.Json(rows);
        if (typed) return StatsFormats.Typed(rows)[..^1];
        return StatsFormats.Csv(rows)[..^1];
    }

    /// <summary>'show info [typed|json|desc|float]'.</summary>
    public static string Info(CliContext ctx, string[] words)
    {
        if (words.Contains("json")) return ProcessInfo.Json(ctx.Node);
        if (words.Contains("typed")) return ProcessInfo.Typed(ctx.Node)[..^1];
        return ProcessInfo.Text(ctx.Node)[..^1];
    }

    /// <summary>
    /// 'show servers state [BACKEND]': version 1 of haproxy's server-state format (the one
    /// 'server-state-file' reads): ids, address, operational and admin states, weights, check state.
    /// </summary>
    public static string ServersState(CliContext ctx, string[] words)
    {
        var name = words.Length > 3 ? words[3] : null;
        var backends = ctx.Node.Proxies.Where(p => p.Backend != null && (name is null || p.Name == name)).ToList();
        if (name != null && backends.Count == 0) return "Can't find backend.\n";
        var sb = new StringBuilder("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n");
        long now = Environment.TickCount64;
        foreach (var p in backends)
        {
            var snap = p.Backend!.Snapshot;
            foreach (var s in snap.All) sb.Append(ServerStateLine(p, snap, s, now)).Append('\n');
        }
        return sb.ToString();
    }

    private static string ServerStateLine(ProxyStats p, BackendSnapshot snap, ServerRuntime s, long now)
    {
        var h = s.Health;
        var admin = s.Admin;
        var status = h.Status;
        // srv_op_state: 0 stopped, 2 running, 3 stopping (NOLB).
        int op = status.StartsWith("DOWN", StringComparison.Ordinal) || (s.EndPoint is null) ? 0
            : status.StartsWith("NOLB", StringComparison.Ordinal) ? 3 : 2;
        if ((admin & AdminFlags.Maint) != 0 && !h.Checked) op = s.Config.Disabled ? 0 : op;
        // srv_admin_state: 0x01 forced maint, 0x04 maint from the config ('disabled'), 0x08 forced drain.
        int adm = 0;
        if ((admin & AdminFlags.Maint) != 0) adm |= 0x01;
        if (s.Config.Disabled && (admin & AdminFlags.Maint) != 0) adm |= 0x04;
        if ((admin & AdminFlags.Drain) != 0) adm |= 0x08;
        // check status/result: haproxy's HCHK_STATUS_* and CHK_RES_* numbers.
        int checkStatus = h.LastCheck is { } cs ? CheckStatusNumber(cs) : 1;
        int checkResult = h.LastCheck is { } lr && h.Checked ? CheckResultNumber(lr) : 0;
        int checkState = h.Checked ? ((admin & AdminFlags.ChecksDisabled) != 0 ? 2 : 6) : 0;
        if ((admin & AdminFlags.Maint) != 0) checkState |= 8;
        var addr = s.EndPoint?.Address.ToString() ?? s.Config.Address?.Host ?? "-";
        var port = s.Config.Address is { } a ? (a.PortIsOffset ? (a.Port >= 0 ? "+" : "") + a.Port : (s.EndPoint?.Port ?? a.Port).ToString(CultureInfo.InvariantCulture)) : "0";
        var fqdn = s.Config.Address is { Kind: Lb.Config.Values.EndpointKind.Hostname } h2 ? h2.Host : "-";
        return string.Join(' ',
            p.Id, p.Name, s.Id, s.Name, addr, op, adm, s.Weight, s.Config.Weight, h.LastChangeSeconds(now),
            checkStatus, checkResult, h.HealthValue, checkState, 0, p.Config.Id is null ? 0 : 1, s.Config.Id is null ? 0 : 1,
            fqdn, port, "-", 0, 0, "-", "-", 0);
    }

    private static int CheckStatusNumber(Health.CheckStatus s) => s switch
    {
        Health.CheckStatus.Ini => 1,
        Health.CheckStatus.Hana => 4,
        Health.CheckStatus.SockErr => 5,
        Health.CheckStatus.L4Ok => 6,
        Health.CheckStatus.L4Tout => 7,
        Health.CheckStatus.L4Con => 8,
        Health.CheckStatus.L7Tout => 12,
        Health.CheckStatus.L7Rsp => 13,
        Health.CheckStatus.L7Ok => 15,
        Health.CheckStatus.L7OkC => 16,
        Health.CheckStatus.L7Sts => 17,
        _ => 0,
    };

    private static int CheckResultNumber(Health.CheckStatus s) => s switch
    {
        Health.CheckStatus.Ini => 0,
        Health.CheckStatus.L4Ok or Health.CheckStatus.L7Ok => 3,
        Health.CheckStatus.L7OkC => 4,
        _ => 2,
    };

    /// <summary>
    /// 'show pools': Lb has no allocation pools of its own like haproxy's; it reports the .NET
    /// heap the same way, one line per GC generation, with the line shape haproxy uses.
    /// </summary>
    public static string Pools(CliContext ctx, string[] words)
    {
        var info = GC.GetGCMemoryInfo();
        var names = new[] { "gen0", "gen1", "gen2", "large_objects", "pinned_objects" };
        var sb = new StringBuilder("Dumping pools usage. Use SIGQUIT to flush them.\n");
        long total = 0, used = 0;
        var gens = info.GenerationInfo;
        for (int g = 0; g < gens.Length && g < names.Length; g++)
        {
            long size = gens[g].SizeAfterBytes;
            long frag = gens[g].FragmentationAfterBytes;
            total += size;
            used += size - frag;
            sb.Append("  - Pool ").Append(names[g]).Append(" (").Append(size).Append(" bytes) : ").Append(GC.CollectionCount(Math.Min(g, 2)))
              .Append(" allocated (").Append(size).Append(" bytes), ").Append(size - frag).Append(" used (~").Append(frag)
              .Append(" fragmented), needed_avg 0, 0 failures, 1 users\n");
        }
        sb.Append("Total: ").Append(Math.Min(gens.Length, names.Length)).Append(" pools, ").Append(total).Append(" bytes allocated, ").Append(used)
          .Append(" used (~").Append(total - used).Append(" fragmented).\n");
        return sb.ToString();
    }

    /// <summary>'show errors [PROXY] [request|response]'.</summary>
    public static string Errors(CliContext ctx, string[] words)
    {
        string? proxy = null;
        bool? responses = null;
        for (int i = 2; i < words.Length; i++)
        {
            if (words[i] == "request") responses = false;
            else if (words[i] == "response") responses = true;
            else if (words[i] != "-1") proxy = words[i];
        }
        if (proxy != null && ctx.Node.Proxies.All(p => p.Name != proxy && p.Id.ToString(CultureInfo.InvariantCulture) != proxy)) return "No such proxy.\n";
        var events = ctx.Node.Errors.Snapshot()
            .Where(e => responses is null || e.IsResponse == responses)
            .Where(e => proxy is null || (e.IsResponse ? e.Backend : e.Frontend) == proxy)
            .ToList();
        var sb = new StringBuilder("Total events captured on [").Append(Date(DateTime.UtcNow)).Append("] : ").Append(ctx.Node.Errors.Count).Append('\n');
        foreach (var e in events)
        {
            var fe = ctx.Node.Proxies.FirstOrDefault(p => p.Name == e.Frontend);
            var be = e.Backend is null ? null : ctx.Node.Proxies.FirstOrDefault(p => p.Name == e.Backend && p.Backend != null);
            sb.Append(" \n[").Append(Date(e.WhenUtc)).Append("] ");
            if (e.IsResponse) sb.Append("backend ").Append(e.Backend).Append(" (#").Append(be?.Id ?? -1).Append("): invalid response\n")
                .Append("  frontend ").Append(e.Frontend).Append(" (#").Append(fe?.Id ?? -1).Append("), server ").Append(e.Server ?? "<NONE>")
                .Append(" (#").Append(be?.Backend?.Snapshot.FindServer(e.Server ?? "")?.Id ?? -1).Append(')');
            else sb.Append("frontend ").Append(e.Frontend).Append(" (#").Append(fe?.Id ?? -1).Append("): invalid request\n")
                .Append("  backend <NONE> (#-1), server <NONE> (#-1)");
            sb.Append(", event #").Append(e.EventId - 1).Append(", src ").Append(e.Client?.ToString() ?? "-").Append('\n');
            sb.Append("  buffer starts at 0 (including 0 out), ").Append(Math.Max(0, 16384 - e.Bytes.Length)).Append(" free,\n");
            sb.Append("  len ").Append(e.Bytes.Length).Append(", wraps at 16336, error at position ").Append(e.ErrorOffset).Append('\n');
            sb.Append("  \n");
            Dump(sb, e.Bytes);
        }
        return sb.ToString();
    }

    private static string Date(DateTime utc) =>
        utc.ToLocalTime().ToString("dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>The captured bytes, one line per input line, offsets on the left, non-printables escaped.</summary>
    private static void Dump(StringBuilder sb, byte[] bytes)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            sb.Append("  ").Append(offset.ToString("D5", CultureInfo.InvariantCulture)).Append("  ");
            int i = offset;
            for (; i < bytes.Length && i - offset < 64; i++)
            {
                byte b = bytes[i];
                if (b == '\r') sb.Append("\\r");
                else if (b == '\n') { sb.Append("\\n"); i++; break; }
                else if (b is < 0x20 or >= 0x7f or (byte)'\\') sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                else sb.Append((char)b);
            }
            sb.Append('\n');
            offset = i;
        }
    }

    /// <summary>'show backend': "# name" then each backend.</summary>
    public static string Backends(CliContext ctx, string[] words)
    {
        var sb = new StringBuilder("# name\n");
        foreach (var p in ctx.Node.Proxies) if (p.Backend != null) sb.Append(p.Name).Append('\n');
        return sb.ToString();
    }

    /// <summary>'show cli sockets': "# socket lvl processes" then one line per stats socket.</summary>
    public static string Sockets(CliContext ctx, string[] words)
    {
        var sb = new StringBuilder("# socket lvl processes\n");
        foreach (var s in ctx.Sockets) sb.Append(s.Address).Append(' ').Append(CliLevels.Name(s.Level)).Append(" all\n");
        return sb.ToString();
    }
}
