using Akka.Actor;
using Lb.Actors.Backends;

namespace Lb.Actors.Stats;

/// <summary>
/// The server actions posted from the stats page's form ("s=SRV&amp;s=SRV&amp;action=maint&amp;b=#IID"):
/// each selected server gets the action through its backend's actor. Returns haproxy's status
/// word for the redirect (';st=DONE', 'NONE', 'ERRP', 'UNKN').
/// </summary>
public static class StatsPageActions
{
    public static readonly IReadOnlyDictionary<string, ServerAdminAction> Actions = new Dictionary<string, ServerAdminAction>(StringComparer.Ordinal)
    {
        ["ready"] = ServerAdminAction.Ready,
        ["drain"] = ServerAdminAction.Drain,
        ["maint"] = ServerAdminAction.Maint,
        ["dhlth"] = ServerAdminAction.DisableHealth,
        ["ehlth"] = ServerAdminAction.EnableHealth,
        ["hrunn"] = ServerAdminAction.HealthUp,
        ["hnolb"] = ServerAdminAction.HealthStopping,
        ["hdown"] = ServerAdminAction.HealthDown,
        ["dagent"] = ServerAdminAction.DisableAgent,
        ["eagent"] = ServerAdminAction.EnableAgent,
        ["arunn"] = ServerAdminAction.AgentUp,
        ["adown"] = ServerAdminAction.AgentDown,
        ["shutdown"] = ServerAdminAction.ShutdownSessions,
    };

    public static string Apply(NodeStats node, string form)
    {
        string? action = null, backend = null;
        var servers = new List<string>();
        foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) continue;
            var key = pair[..eq];
            var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            switch (key)
            {
                case "s": servers.Add(value); break;
                case "action": action = value; break;
                case "b": backend = value; break;
            }
        }
        if (action is null || backend is null) return "ERRP";
        if (!Actions.TryGetValue(action, out var what)) return action.Length == 0 ? "NONE" : "UNKN";
        var proxy = backend.StartsWith('#') && int.TryParse(backend[1..], out var iid)
            ? node.Proxies.FirstOrDefault(p => p.Id == iid)
            : node.Find(backend);
        if (proxy?.Backend is not { } handle || proxy.BackendActor is not { } actor) return "ERRP";
        int applied = 0;
        foreach (var name in servers)
        {
            if (handle.Snapshot.FindServer(name) is null) continue;
            actor.Tell(new BackendActor.ServerAdmin(name, what));
            applied++;
        }
        return applied == 0 ? "NONE" : applied == servers.Count ? "DONE" : "PART";
    }

    /// <summary>The banner the page shows after a redirect with ';st=STATUS'.</summary>
    public static (string Css, string Text)? Banner(string? status) => status switch
    {
        "DONE" => ("active_up", "Action processed successfully."),
        "NONE" => ("active_going_down", "Nothing has changed."),
        "PART" => ("active_going_down", "Action not processed for some of the selected servers."),
        "ERRP" => ("active_down", "Action not processed because of invalid parameters."),
        "EXCD" => ("active_down", "Action not processed: the request was too large."),
        "DENY" => ("active_down", "Action denied."),
        "UNKN" => ("active_down", "Unexpected result."),
        _ => null,
    };
}
