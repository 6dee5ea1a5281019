using System.Reflection;

namespace Lb.Node;

/// <summary>The -v line. The number is the assembly's informational version without the commit suffix.</summary>
public static class VersionInfo
{
    public static string Number
    {
        get
        {
            var assembly = typeof(VersionInfo).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var version = informational ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
            int plus = version.IndexOf('+');
            return plus < 0 ? version : version[..plus];
        }
    }

    public static string Line => $"Lb version {Number} (HAProxy 2.6 compatible configuration)";
}
