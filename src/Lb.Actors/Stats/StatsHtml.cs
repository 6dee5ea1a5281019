using System.Globalization;
using System.Net;
using System.Text;
using Lb.Actors.Backends;

namespace Lb.Actors.Stats;

/// <summary>
/// The HTML stats page, laid out as haproxy's: a process summary with the colour legend, then one
/// table per proxy — its Frontend row, a row per server coloured by state, its Backend row (the
/// totals) — and, for a page with admin rights, the form that acts on the checked servers.
/// </summary>
public static class StatsHtml
{
    private const string Style = """
        body { font-family: arial, helvetica, sans-serif; font-size: 12px; font-weight: normal; color: black; background: white;}
        th,td { font-size: 10px;}
        h1 { font-size: x-large; margin-bottom: 0.5em;}
        h2 { font-family: helvetica, arial; font-size: x-large; font-weight: bold; font-style: italic; color: #6020a0; margin-top: 0em; margin-bottom: 0em;}
        h3 { font-family: helvetica, arial; font-size: 16px; font-weight: bold; color: #b00040; background: #e8e8d0; margin-top: 0em; margin-bottom: 0em;}
        .hr {margin-top: 0.25em; border-color: black; border-bottom-style: solid;}
        .titre	{background: #20D0D0;color: #000000; font-weight: bold; text-align: center;}
        .total	{background: #20D0D0;color: #ffff80;}
        .frontend	{background: #e8e8d0;}
        .socket	{background: #d0d0d0;}
        .backend	{background: #e8e8d0;}
        .active_down		{background: #ff9090;}
        .active_going_up		{background: #ffd020;}
        .active_going_down	{background: #ffffa0;}
        .active_up		{background: #c0ffc0;}
        .active_nolb		{background: #20a0ff;}
        .active_draining		{background: #20a0FF;}
        .active_no_check		{background: #e0e0e0;}
        .backup_down		{background: #ff9090;}
        .backup_going_up		{background: #ff80ff;}
        .backup_going_down	{background: #c060ff;}
        .backup_up		{background: #b0d0ff;}
        .backup_nolb		{background: #90b0e0;}
        .backup_draining		{background: #cc9900;}
        .backup_no_check		{background: #e0e0e0;}
        .maintain	{background: #c07820;}
        a.px:link {color: #ffff40; text-decoration: none;}a.px:visited {color: #ffff40; text-decoration: none;}a.px:hover {color: #ffffff; text-decoration: none;}
        a.lfsb:link {color: #000000; text-decoration: none;}a.lfsb:visited {color: #000000; text-decoration: none;}a.lfsb:hover {color: #505050; text-decoration: none;}
        table.tbl { border-collapse: collapse; border-style: none;}
        table.tbl td { text-align: right; border-width: 1px 1px 1px 1px; border-style: solid solid solid solid; padding: 2px 3px; border-color: gray; white-space: nowrap;}
        table.tbl td.ac { text-align: center;}
        table.tbl th { border-width: 1px; border-style: solid solid solid solid; border-color: gray;}
        table.tbl th.pxname { background: #b00040; color: #ffff40; font-weight: bold; border-style: solid solid none solid; padding: 2px 3px; white-space: nowrap;}
        table.tbl th.empty { border-style: none; empty-cells: hide; background: white;}
        table.lgd { border-collapse: collapse; border-width: 1px; border-style: none none none solid; border-color: black;}
        table.lgd td { border-width: 1px; border-style: solid solid solid solid; border-color: gray; padding: 2px;}
        table.lgd td.noborder { border-style: none; padding: 2px; white-space: nowrap;}
        """;

    public static string Render(NodeStats node, Lb.Config.Model.Proxy page, IReadOnlyList<StatRow> rows, StatsRequest ask, bool admin)
    {
        var sb = new StringBuilder(32 * 1024);
        var uri = page.Stats.Uri;
        sb.Append("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"\n\"http://www.w3.org/TR/html4/loose.dtd\">\n");
        sb.Append("<html><head><title>Statistics Report for Lb").Append(page.Stats.ShowNode ? " on " + E(page.Stats.NodeName ?? node.NodeName) : "").Append("</title>\n");
        sb.Append("<link rel=\"icon\" href=\"data:,\">\n<meta http-equiv=\"content-type\" content=\"text/html; charset=iso-8859-1\">\n");
        sb.Append("<style type=\"text/css\"><!--\n").Append(Style).Append("\n-->\n</style></head>\n<body>");
        sb.Append("<h1><a href=\"https://github.com/\" style=\"text-decoration: none;\">Lb");
        if (!page.Stats.HideVersion) sb.Append(" version ").Append(E(ProcessInfo.Version)).Append(", released ").Append(E(ProcessInfo.ReleaseDate));
        sb.Append("</a></h1>\n<h2>Statistics Report for pid ").Append(node.Pid);
        if (page.Stats.ShowNode) sb.Append(" on ").Append(E(page.Stats.NodeName ?? node.NodeName));
        sb.Append("</h2>\n");
        if (page.Stats.ShowDesc is { Length: > 0 } desc) sb.Append("<h2>").Append(E(desc)).Append("</h2>\n");
        sb.Append("<hr width=\"100%\" class=\"hr\">\n<h3>&gt; General process information</h3>\n");
        General(sb, node, uri, ask);
        if (SBanner(ask.ActionStatus) is { } banner)
            sb.Append("<p><div class=").Append(banner.Css).Append("><a class=lfsb href=\"").Append(E(uri)).Append("\" title=\"Remove this message\">[X]</a> ")
              .Append(E(banner.Text)).Append("</div>\n");
        foreach (var group in rows.GroupBy(r => (r.ProxyId, Name: r["pxname"] ?? "")))
            Proxy(sb, node, group.Key.Name, group.Key.ProxyId, group.ToList(), admin, page.Stats.ShowLegends);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static (string Css, string Text)? SBanner(string? st) => StatsPageActions.Banner(st);

    private static void General(StringBuilder sb, NodeStats node, string uri, StatsRequest ask)
    {
        long up = (Environment.TickCount64 - node.StartedMs) / 1000;
        var (_, _, cur) = node.Totals();
        int maxconn = node.GlobalLimit?.Max ?? node.Config?.Global.MaxConn ?? 0;
        sb.Append("<table border=0><tr><td align=\"left\" nowrap width=\"1%\">\n");
        sb.Append("<p><b>pid = </b> ").Append(node.Pid).Append(" (process #1, nbproc = 1, nbthread = ").Append(Environment.ProcessorCount).Append(")<br>\n");
        sb.Append("<b>uptime = </b> ").Append(ProcessInfo.Uptime(up)).Append("<br>\n");
        sb.Append("<b>maxconn = </b> ").Append(maxconn).Append("<br>\n");
        sb.Append("current conns = ").Append(cur).Append("; conn rate = ").Append(node.ConnectionRate.Rate).Append("/sec<br>\n");
        sb.Append("</td><td align=\"center\" nowrap>\n<table class=\"lgd\"><tr>\n");
        sb.Append("<td class=\"active_up\">&nbsp;</td><td class=\"noborder\">active UP </td><td class=\"backup_up\">&nbsp;</td><td class=\"noborder\">backup UP </td></tr><tr>\n");
        sb.Append("<td class=\"active_going_down\"></td><td class=\"noborder\">active UP, going down </td><td class=\"backup_going_down\"></td><td class=\"noborder\">backup UP, going down </td></tr><tr>\n");
        sb.Append("<td class=\"active_going_up\"></td><td class=\"noborder\">active DOWN, going up </td><td class=\"backup_going_up\"></td><td class=\"noborder\">backup DOWN, going up </td></tr><tr>\n");
        sb.Append("<td class=\"active_down\"></td><td class=\"noborder\">active or backup DOWN &nbsp;</td><td class=\"active_no_check\"></td><td class=\"noborder\">not checked </td></tr><tr>\n");
        sb.Append("<td class=\"maintain\"></td><td class=\"noborder\" colspan=\"3\">active or backup DOWN for maintenance (MAINT) &nbsp;</td></tr><tr>\n");
        sb.Append("<td class=\"active_draining\"></td><td class=\"noborder\" colspan=\"3\">active or backup SOFT STOPPED for maintenance &nbsp;</td></tr></table>\n");
        sb.Append("Note: \"NOLB\"/\"DRAIN\" = UP with load-balancing disabled.</td>");
        sb.Append("<td align=\"left\" valign=\"top\" nowrap width=\"1%\"><b>Display option:</b><ul style=\"margin-top: 0.25em;\">");
        sb.Append("<li><form method=\"GET\">Scope : <input value=\"").Append(E(ask.Scope ?? "")).Append("\" name=\"scope\" size=\"8\" maxlength=\"20\" tabindex=\"1\"/></form>\n");
        var u = E(uri);
        sb.Append(ask.UpOnly ? $"<li><a href=\"{u}\">Show all servers</a><br>\n" : $"<li><a href=\"{u};up\">Hide 'DOWN' servers</a><br>\n");
        sb.Append($"<li><a href=\"{u};norefresh\">Disable refresh</a><br>\n");
        sb.Append($"<li><a href=\"{u}\">Refresh now</a><br>\n");
        sb.Append($"<li><a href=\"{u};csv;norefresh\">CSV export</a><br>\n");
        sb.Append($"<li><a href=\"{u};json;norefresh\">JSON export</a><br>\n");
        sb.Append("</ul></td></tr></table>\n");
    }

    private static readonly string[] Groups =
        ["<th colspan=3>Queue</th>", "<th colspan=3>Session rate</th>", "<th colspan=6>Sessions</th>", "<th colspan=2>Bytes</th>",
         "<th colspan=2>Denied</th>", "<th colspan=3>Errors</th>", "<th colspan=2>Warnings</th>", "<th colspan=9>Server</th>"];

    private static readonly string[] Heads =
        ["Cur", "Max", "Limit", "Cur", "Max", "Limit", "Cur", "Max", "Limit", "Total", "LbTot", "Last", "In", "Out", "Req", "Resp",
         "Req", "Conn", "Resp", "Retr", "Redis", "Status", "LastChk", "Wght", "Act", "Bck", "Chk", "Dwn", "Dwntme", "Thrtle"];

    private static void Proxy(StringBuilder sb, NodeStats node, string name, int id, List<StatRow> rows, bool admin, bool legends)
    {
        var entry = node.Proxies.FirstOrDefault(p => p.Id == id);
        bool form = admin && rows.Any(r => r.Type == StatObject.Server);
        var cap = entry is null ? "proxy" : entry.Config.IsFrontend && entry.Config.IsBackend ? "proxy" : entry.Config.IsFrontend ? "frontend" : "backend";
        var mode = rows.FirstOrDefault()?["mode"] ?? "";
        var n = E(name);
        if (form) sb.Append("<form method=\"post\">");
        sb.Append("<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\"><th class=\"pxname\" width=\"10%\"><a name=\"").Append(n).Append("\"></a>")
          .Append("<a class=px href=\"#").Append(n).Append("\">").Append(n).Append("</a>");
        // 'stats show-legends': the proxy's capabilities, mode and id next to its name.
        if (legends) sb.Append(" <small>(cap: ").Append(cap).Append(", mode: ").Append(E(mode)).Append(", id: ").Append(id).Append(")</small>");
        sb.Append("</th><th class=\"empty\" width=\"90%\"></th></tr>\n</table>\n");
        sb.Append("<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\"><th rowspan=2").Append(form ? " width=1" : "").Append("></th><th rowspan=2></th>");
        foreach (var g in Groups) sb.Append(g);
        sb.Append("</tr>\n<tr class=\"titre\">");
        foreach (var h in Heads) sb.Append("<th>").Append(h).Append("</th>");
        sb.Append("\n</tr>");
        foreach (var r in rows) Row(sb, r, n, form, legends);
        sb.Append("</table>");
        if (form)
        {
            sb.Append("Choose the action to perform on the checked servers : <select name=action><option value=\"\"></option>")
              .Append("<option value=\"ready\">Set state to READY</option><option value=\"drain\">Set state to DRAIN</option><option value=\"maint\">Set state to MAINT</option>")
              .Append("<option value=\"dhlth\">Health: disable checks</option><option value=\"ehlth\">Health: enable checks</option><option value=\"hrunn\">Health: force UP</option>")
              .Append("<option value=\"hnolb\">Health: force NOLB</option><option value=\"hdown\">Health: force DOWN</option><option value=\"shutdown\">Kill Sessions</option></select>")
              .Append("<input type=\"hidden\" name=\"b\" value=\"#").Append(id).Append("\">&nbsp;<input type=\"submit\" value=\"Apply\"></form>");
        }
        sb.Append("<p>\n");
    }

    private static void Row(StringBuilder sb, StatRow r, string proxy, bool form, bool legends)
    {
        string V(string f) => E(r[f] ?? "");
        switch (r.Type)
        {
            case StatObject.Frontend:
                sb.Append("<tr class=\"frontend\"><td></td><td class=ac><a name=\"").Append(proxy).Append("/Frontend\"></a><a class=lfsb href=\"#").Append(proxy).Append("/Frontend\">Frontend</a></td>");
                sb.Append("<td colspan=3></td>");
                Cells(sb, V("rate"), V("rate_max"), V("rate_lim") == "0" ? "" : V("rate_lim"), V("scur"), V("smax"), V("slim"), V("stot"), "", "", V("bin"), V("bout"), V("dreq"), V("dresp"), V("ereq"), "", "", "", "");
                sb.Append("<td class=ac>").Append(V("status")).Append("</td><td class=ac colspan=8></td></tr>");
                break;
            case StatObject.Listener:
                sb.Append("<tr class=\"socket\"><td></td><td class=ac><a name=\"").Append(proxy).Append('/').Append(V("svname")).Append("\"></a><a class=lfsb href=\"#")
                  .Append(proxy).Append('/').Append(V("svname")).Append("\">").Append(V("svname")).Append("</a></td><td colspan=3>&nbsp;</td><td colspan=3>&nbsp;</td>");
                Cells(sb, V("scur"), V("smax"), V("slim") == "0" ? "" : V("slim"), V("stot"), "", "", V("bin"), V("bout"), V("dreq"), V("dresp"), V("ereq"), "", "", "", "");
                sb.Append("<td class=ac>").Append(V("status")).Append("</td><td class=ac colspan=8></td></tr>");
                break;
            case StatObject.Backend:
                sb.Append("<tr class=\"backend\"><td></td><td class=ac><a name=\"").Append(proxy).Append("/Backend\"></a><a class=lfsb href=\"#").Append(proxy).Append("/Backend\">Backend</a></td>");
                Cells(sb, V("qcur"), V("qmax"), "", V("rate"), V("rate_max"), "", V("scur"), V("smax"), V("slim"), V("stot"), V("lbtot"), Age(r["lastsess"]), V("bin"), V("bout"),
                    V("dreq"), V("dresp"), "", V("econ"), V("eresp"), V("wretr"), V("wredis"));
                sb.Append("<td class=ac>").Append(Since(r["lastchg"])).Append(' ').Append(V("status")).Append("</td><td class=ac>&nbsp;</td>");
                sb.Append("<td class=ac>").Append(V("weight")).Append("/").Append(V("uweight")).Append("</td><td class=ac>").Append(V("act")).Append("</td><td class=ac>").Append(V("bck"))
                  .Append("</td><td class=ac>&nbsp;</td><td>").Append(V("chkdown")).Append("</td><td>").Append(Since(r["downtime"])).Append("</td><td></td></tr>");
                break;
            default:
                var name = V("svname");
                sb.Append("\n<tr class=\"").Append(ServerClass(r)).Append("\"><td>");
                if (form) sb.Append("<input type=\"checkbox\" name=\"s\" value=\"").Append(name).Append("\">");
                sb.Append("</td><td class=ac><a name=\"").Append(proxy).Append('/').Append(name).Append("\"></a><a class=lfsb href=\"#").Append(proxy).Append('/').Append(name).Append("\">")
                  .Append(name).Append("</a>");
                if (legends) sb.Append(" <small>(").Append(V("addr")).Append(", id: ").Append(r.ServerId).Append(")</small>");
                sb.Append("</td>");
                Cells(sb, V("qcur"), V("qmax"), r["qlimit"] is { Length: > 0 } ql ? E(ql) : "-", V("rate"), V("rate_max"), "", V("scur"), V("smax"), r["slim"] is { Length: > 0 } sl ? E(sl) : "-",
                    V("stot"), V("lbtot"), Age(r["lastsess"]), V("bin"), V("bout"), "", V("dresp"), "", V("econ"), V("eresp"), V("wretr"), V("wredis"));
                var status = r["status"] ?? "";
                sb.Append("<td class=ac>").Append(status == "no check" ? "<i>no check</i>" : Since(r["lastchg"]) + " " + E(status)).Append("</td>");
                sb.Append("<td class=ac>").Append(r["check_status"] is { Length: > 0 } cs ? E(cs) + (r["check_code"] is { Length: > 0 } cc ? "/" + E(cc) : "") + (r["check_duration"] is { Length: > 0 } cd ? " in " + E(cd) + "ms" : "") : "").Append("</td>");
                sb.Append("<td class=ac>").Append(V("weight")).Append("/").Append(V("uweight")).Append("</td>");
                bool backup = r["bck"] == "1";
                sb.Append("<td class=ac>").Append(backup ? "-" : "Y").Append("</td><td class=ac>").Append(backup ? "Y" : "-").Append("</td>");
                if (r["chkfail"] is { Length: > 0 })
                    sb.Append("<td>").Append(V("chkfail")).Append("</td><td>").Append(V("chkdown")).Append("</td><td>").Append(Since(r["downtime"])).Append("</td>");
                else sb.Append("<td colspan=3></td>");
                sb.Append("<td class=ac>").Append(r["throttle"] is { Length: > 0 } th ? E(th) + " %" : "-").Append("</td></tr>");
                break;
        }
    }

    private static void Cells(StringBuilder sb, params string[] values)
    {
        foreach (var v in values) sb.Append("<td>").Append(v).Append("</td>");
    }

    /// <summary>haproxy's row colours: active_/backup_ + up, going_down, going_up, down, nolb, draining, no_check; maintain.</summary>
    public static string ServerClass(StatRow r)
    {
        var status = r["status"] ?? "";
        var side = r["bck"] == "1" ? "backup_" : "active_";
        if (status.StartsWith("MAINT", StringComparison.Ordinal)) return "maintain";
        if (status == "DRAIN") return side + "draining";
        if (status == "no check") return side + "no_check";
        if (status.StartsWith("NOLB", StringComparison.Ordinal)) return side + "nolb";
        if (status.StartsWith("UP ", StringComparison.Ordinal)) return side + "going_down";
        if (status.StartsWith("DOWN ", StringComparison.Ordinal)) return side + "going_up";
        if (status.StartsWith("DOWN", StringComparison.Ordinal)) return "active_down";
        return side + "up";
    }

    /// <summary>"1m13s" from a number of seconds, as haproxy prints durations on the page.</summary>
    public static string Since(string? seconds)
    {
        if (!long.TryParse(seconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) || s < 0) return "";
        if (s < 60) return s + "s";
        if (s < 3600) return $"{s / 60}m{s % 60}s";
        if (s < 86400) return $"{s / 3600}h{s / 60 % 60}m";
        return $"{s / 86400}d{s / 3600 % 24}h";
    }

    private static string Age(string? seconds) => seconds is null or "-1" ? "?" : Since(seconds);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
