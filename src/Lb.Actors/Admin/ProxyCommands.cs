using System.Globalization;
using Akka.Actor;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Stats;

namespace Lb.Actors.Admin;

/// <summary>Runtime-API commands on frontends and node-wide settings.</summary>
public static class ProxyCommands
{
    private static string? Arg(string[] words, int i) => i < words.Length ? words[i] : null;

    private static ProxyStats? Frontend(CliContext ctx, string? name, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(name)) { error = "A frontend name is expected.\n"; return null; }
        var p = ctx.Node.Proxies.FirstOrDefault(x => x.Config.IsFrontend && x.Name == name);
        if (p is null) { error = "No such frontend.\n"; return null; }
        return p;
    }

    /// <summary>'clear counters' resets the maximums (operator); 'clear counters all' every counter (admin).</summary>
    public static async Task<string> ClearCounters(CliContext ctx, string[] words)
    {
        bool all = Arg(words, 2) == "all";
        if (all && ctx.Level < CliLevel.Admin) return CliCommands.PermissionDenied;
        foreach (var p in ctx.Node.Proxies)
        {
            p.Frontend?.ClearCounters(all);
            if (p.BackendActor is { } actor)
                await actor.Ask<AdminResult>(new BackendActor.ClearCounters(all), CliContext.AskTimeout).ConfigureAwait(false);
        }
        if (all) { ctx.Node.ConnectionRate.ResetMax(); ctx.Node.SessionRate.ResetMax(); }
        return "";
    }

    public static async Task<string> DisableFrontend(CliContext ctx, string[] words) =>
        await ChangeFrontend(ctx, Arg(words, 2), FrontendActor.AdminAction.Pause).ConfigureAwait(false);

    public static async Task<string> EnableFrontend(CliContext ctx, string[] words) =>
        await ChangeFrontend(ctx, Arg(words, 2), FrontendActor.AdminAction.Resume).ConfigureAwait(false);

    public static async Task<string> ShutdownFrontend(CliContext ctx, string[] words) =>
        await ChangeFrontend(ctx, Arg(words, 2), FrontendActor.AdminAction.Stop).ConfigureAwait(false);

    private static async Task<string> ChangeFrontend(CliContext ctx, string? name, FrontendActor.AdminAction action)
    {
        if (Frontend(ctx, name, out var error) is not { } p) return error;
        if (p.FrontendActor is not { } actor) return "Frontend was already shut down.\n";
        var r = await actor.Ask<FrontendActor.AdminReply>(new FrontendActor.Admin(action), CliContext.AskTimeout).ConfigureAwait(false);
        return r.Message;
    }

    public static string SetMaxconnFrontend(CliContext ctx, string[] words)
    {
        if (Frontend(ctx, Arg(words, 3), out var error) is not { } p) return error;
        var text = Arg(words, 4);
        if (string.IsNullOrEmpty(text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return "Integer value expected.\n";
        if (p.Frontend is { } fe) fe.MaxConn = v;
        p.FrontendActor?.Tell(FrontendActor.LimitsChanged.Instance);
        return "";
    }

    public static string SetMaxconnGlobal(CliContext ctx, string[] words)
    {
        var text = Arg(words, 3);
        if (string.IsNullOrEmpty(text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return "Expects an integer value.\n";
        if (ctx.Node.GlobalLimit is { } limit) limit.Max = v;
        foreach (var p in ctx.Node.Proxies) p.FrontendActor?.Tell(FrontendActor.LimitsChanged.Instance);
        return "";
    }

    private const string RateLimitUsage =
        "'set rate-limit' only supports :\n" +
        "   - 'connections global' to set the per-process maximum connection rate\n" +
        "   - 'sessions global' to set the per-process maximum session rate\n" +
        "   - 'ssl-sessions global' to set the per-process maximum SSL session rate\n" +
        "   - 'http-compression global' to set the per-process maximum compression speed in kB/s\n";

    /// <summary>'set rate-limit connections|sessions|ssl-sessions|http-compression global N'.</summary>
    public static string SetRateLimit(CliContext ctx, string[] words)
    {
        var what = Arg(words, 2);
        if (what is not ("connections" or "sessions" or "ssl-sessions" or "http-compression") || Arg(words, 3) != "global") return RateLimitUsage;
        var text = Arg(words, 4);
        if (string.IsNullOrEmpty(text)) return "Expects an integer value.\n";
        // Like atoi: leading digits, 0 when there are none.
        int end = 0;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        int v = end == 0 ? 0 : int.TryParse(text[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
        var limits = ctx.Node.Limits;
        switch (what)
        {
            case "connections": limits.ConnectionRate = v; break;
            case "sessions": limits.SessionRate = v; break;
            case "ssl-sessions": limits.SslSessionRate = v; break;
            default: limits.CompressionRate = v; break;
        }
        return "";
    }

    /// <summary>'set timeout cli N' (seconds, or a time with a unit) for this connection.</summary>
    public static string SetTimeout(CliContext ctx, string[] words)
    {
        if (Arg(words, 2) != "cli") return "'set timeout' only supports 'cli'.\n";
        var text = Arg(words, 3);
        if (string.IsNullOrEmpty(text)) return "Expects an integer value.\n";
        if (Lb.Config.Values.TimeParser.TryParse(text, "set timeout cli", out var t, defaultUnitMs: 1000) != null || t <= TimeSpan.Zero)
            return "Invalid timeout value.\n";
        ctx.Timeout = t;
        return "";
    }
}
