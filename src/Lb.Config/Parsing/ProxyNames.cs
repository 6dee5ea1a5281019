namespace Lb.Config.Parsing;

/// <summary>HAProxy allows letters, digits, '-', '_', '.' and ':' in proxy and server names.</summary>
internal static class ProxyNames
{
    public static bool IsValid(string name, out char bad)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.' && c != ':')
            {
                bad = c;
                return false;
            }
        }
        bad = '\0';
        return true;
    }
}
