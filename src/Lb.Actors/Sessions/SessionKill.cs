namespace Lb.Actors.Sessions;

/// <summary>'shutdown session ID': the session ends now; its log line says it was killed ('K').</summary>
public sealed class SessionKill
{
    public static readonly SessionKill Instance = new();

    private SessionKill() { }
}
