using System.Text.RegularExpressions;

namespace Lb.Config.Values;

/// <summary>Compiles a PCRE-style pattern once at load time so a bad regex is a config error.</summary>
public static class RegexCheck
{
    public static bool IsValid(string pattern, out string? error)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }
}
