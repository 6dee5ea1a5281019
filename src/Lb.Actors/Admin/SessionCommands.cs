using System.Globalization;
using System.Text;
using Akka.Actor;
using Lb.Actors.Frontends;

namespace Lb.Actors.Admin;

/// <summary>'show sess [id]' and 'shutdown session ID': the client sessions the frontends hold.</summary>
public static class SessionCommands
{
    private static async Task<List<FrontendActor.SessionInfo>> ListAsync(CliContext ctx)
    {
        var all = new List<FrontendActor.SessionInfo>();
        foreach (var p in ctx.Node.Proxies)
            if (p.FrontendActor is { } actor)
                all.AddRange(await actor.Ask<List<FrontendActor.SessionInfo>>(FrontendActor.ListSessions.Instance, CliContext.AskTimeout).ConfigureAwait(false));
        return all.OrderBy(s => s.Id).ToList();
    }

    public static async Task<string> Show(CliContext ctx, string[] words)
    {
        var sessions = await ListAsync(ctx).ConfigureAwait(false);
        long now = Environment.TickCount64;
        if (words.Length > 2 && words[2] != "all")
        {
            if (!TryParseId(words[2], out var id) || sessions.FirstOrDefault(s => s.Id == id) is not { } one) return "Session not found.\n";
            sessions = [one];
        }
        var sb = new StringBuilder();
        foreach (var s in sessions)
        {
            var fe = ctx.Node.Proxies.FirstOrDefault(p => p.Config.IsFrontend && p.Name == s.Frontend);
            var be = fe?.Frontend?.DefaultBackend?.Name;
            string proto = s.Client is System.Net.IPEndPoint { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ? "tcpv6" : "tcpv4";
            sb.Append("0x").Append(s.Id.ToString("x", CultureInfo.InvariantCulture)).Append(": proto=").Append(proto)
              .Append(" src=").Append(s.Client?.ToString() ?? "-").Append(" fe=").Append(s.Frontend)
              .Append(" be=").Append(be ?? "<NONE>").Append(" srv=<none>")
              .Append(" ts=00 epoch=0 age=").Append(Age((now - s.StartedMs) / 1000)).Append(" calls=0 rate=0 cpu=0 lat=0\n");
        }
        return sb.ToString();
    }

    public static async Task<string> Shutdown(CliContext ctx, string[] words)
    {
        if (words.Length <= 2) return "Session pointer expected (use 'show sess').\n";
        if (!TryParseId(words[2], out var id)) return "No such session (use 'show sess').\n";
        foreach (var p in ctx.Node.Proxies)
            if (p.FrontendActor is { } actor && await actor.Ask<bool>(new FrontendActor.KillSession(id), CliContext.AskTimeout).ConfigureAwait(false))
                return "";
        return "No such session (use 'show sess').\n";
    }

    private static bool TryParseId(string text, out long id)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return long.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>haproxy's ages: "0s", "3m12s", "2h05m", "1d3h".</summary>
    public static string Age(long s) =>
        s < 60 ? $"{s}s" : s < 3600 ? $"{s / 60}m{s % 60:00}s" : s < 86400 ? $"{s / 3600}h{s / 60 % 60:00}m" : $"{s / 86400}d{s / 3600 % 24:00}h";
}
