using System.Collections.Immutable;

namespace Lb.Config.Keywords;

/// <summary>The actions each rule keyword accepts in HAProxy 2.6, and their argument counts.</summary>
internal static class RuleActions
{
    private static readonly string[] Common =
    {
        "add-acl", "del-acl", "del-map", "set-map", "set-var", "set-var-fmt", "unset-var", "sc-inc-gpc",
        "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt", "sc-set-gpt0", "set-log-level", "set-mark", "set-nice", "set-tos",
        "capture", "track-sc0", "track-sc1", "track-sc2", "silent-drop", "send-spoe-group", "strict-mode",
    };

    private static readonly Dictionary<string, HashSet<string>> ByKeyword = new(StringComparer.Ordinal)
    {
        ["http-request"] = Set(Common, "add-header", "allow", "auth", "cache-use", "del-header", "deny",
            "disable-l7-retry", "do-resolve", "early-hint", "normalize-uri", "redirect", "reject", "replace-header",
            "replace-path", "replace-pathq", "replace-uri", "replace-value", "return", "set-dst", "set-dst-port",
            "set-header", "set-method", "set-path", "set-pathq", "set-priority-class", "set-priority-offset",
            "set-query", "set-src", "set-src-port", "set-timeout", "set-uri", "tarpit", "use-service",
            "wait-for-body", "wait-for-handshake", "set-bandwidth-limit"),
        ["http-response"] = Set(Common, "add-header", "allow", "cache-store", "del-header", "deny", "redirect",
            "replace-header", "replace-value", "return", "set-header", "set-status", "wait-for-body",
            "set-bandwidth-limit"),
        ["http-after-response"] = Set(Common, "add-header", "allow", "del-header", "replace-header", "replace-value",
            "set-header", "set-status"),
        ["tcp-request"] = Set(Common, "accept", "reject", "expect-proxy", "expect-netscaler-cip", "set-src",
            "set-src-port", "set-dst", "set-dst-port", "do-resolve", "set-priority-class", "set-priority-offset",
            "use-service", "switch-mode", "set-bandwidth-limit"),
        ["tcp-response"] = Set(Common, "accept", "reject", "close", "set-bandwidth-limit"),
    };

    private static HashSet<string> Set(string[] common, params string[] more) =>
        new(common.Concat(more), StringComparer.Ordinal);

    public static IEnumerable<string> For(string keyword) => ByKeyword[keyword];

    public static bool IsKnown(string keyword, string action) =>
        ByKeyword[keyword].Contains(action) || action.StartsWith("lua.", StringComparison.Ordinal);

    /// <summary>
    /// Null when the arguments fit the action, else the complaint. As in haproxy, an empty
    /// argument ("") ends the arguments: 'set-query ""' has none.
    /// </summary>
    public static string? CheckArgs(string action, ImmutableArray<string> args)
    {
        int n = args.IndexOf("");
        if (n < 0) n = args.Length;
        return action switch
        {
            "add-header" or "set-header" when n < 2 => "expects exactly 2 arguments (<name> and <format>).",
            "add-header" or "set-header" when n > 2 => $"expects exactly 2 arguments, got '{args[2]}' too (quote values containing spaces).",
            "del-header" when n < 1 => "expects at least 1 argument (<name>).",
            "replace-header" or "replace-value" when n != 3 => "expects exactly 3 arguments (<name>, <match-regex> and <replace-format>).",
            "replace-path" or "replace-pathq" or "replace-uri" when n != 2 => "expects exactly 2 arguments (<match-regex> and <replace-format>).",
            "set-path" or "set-pathq" or "set-query" or "set-uri" or "set-method" or "set-status" when n < 1 => "expects exactly 1 argument.",
            "set-var" or "set-var-fmt" when n < 1 => "expects a sample expression.",
            "track-sc0" or "track-sc1" or "track-sc2" when n < 1 => "expects a sample expression to track.",
            "use-service" when n < 1 => "expects a service name.",
            "redirect" when n < 2 => "expects 'location', 'prefix' or 'scheme' followed by a target.",
            "deny" or "tarpit" when n >= 1 && args[0] == "deny_status" && (n < 2 || !int.TryParse(args[1], out _)) => "'deny_status' expects a status code.",
            _ => null,
        };
    }
}
