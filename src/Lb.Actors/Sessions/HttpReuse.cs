using Lb.Config.Model;

namespace Lb.Actors.Sessions;

/// <summary>'http-reuse never|safe|aggressive|always': which requests may use another session's idle server connection.</summary>
public enum HttpReuse
{
    /// <summary>Connections stay private to their client session.</summary>
    Never,

    /// <summary>The default: a session's first request gets a connection of its own, later ones may take an idle one.</summary>
    Safe,

    /// <summary>First requests may take idle connections that already served more than one request.</summary>
    Aggressive,

    /// <summary>Every request may take any idle connection.</summary>
    Always,
}

public static class HttpReuseSettings
{
    /// <summary>The backend's 'http-reuse' (the last one, defaults inherited), Safe when absent.</summary>
    public static HttpReuse Of(Proxy backend)
    {
        var mode = HttpReuse.Safe;
        foreach (var d in backend.OtherDirectives)
        {
            if (d.Words.Length < 2 || d.Words[0] != "http-reuse") continue;
            mode = d.Words[1] switch
            {
                "never" => HttpReuse.Never,
                "aggressive" => HttpReuse.Aggressive,
                "always" => HttpReuse.Always,
                _ => HttpReuse.Safe,
            };
        }
        return mode;
    }
}
