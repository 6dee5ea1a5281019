namespace Lb.Actors.Admin;

/// <summary>A runtime-API session's access level ('stats socket ... level user|operator|admin').</summary>
public enum CliLevel { User = 0, Operator = 1, Admin = 2 }

public static class CliLevels
{
    public static CliLevel Parse(string? text) => text switch
    {
        "admin" => CliLevel.Admin,
        "operator" => CliLevel.Operator,
        _ => CliLevel.User,
    };

    public static string Name(CliLevel level) => level switch
    {
        CliLevel.Admin => "admin",
        CliLevel.Operator => "operator",
        _ => "user",
    };
}
