namespace Lb.Actors.Rules.Fetching;

/// <summary>A sample expression split into its parts: "hdr(host,1),lower" is hdr, [host, 1], [lower].</summary>
public sealed record FetchExpression(string Name, IReadOnlyList<string> Args, IReadOnlyList<string> Converters)
{
    /// <summary>Null with an error when the parentheses do not balance.</summary>
    public static FetchExpression? Parse(string text, out string? error)
    {
        error = null;
        int i = 0;
        while (i < text.Length && text[i] is not ('(' or ',')) i++;
        var name = text[..i];
        var args = new List<string>();
        if (i < text.Length && text[i] == '(')
        {
            int close = text.IndexOf(')', i + 1);
            if (close < 0) { error = $"missing closing ')' after arguments to fetch '{name}'"; return null; }
            var inside = text[(i + 1)..close];
            if (inside.Length > 0) args.AddRange(inside.Split(',').Select(a => a.Trim()));
            i = close + 1;
        }
        var converters = new List<string>();
        if (i < text.Length)
        {
            if (text[i] != ',') { error = $"unexpected '{text[i..]}' after fetch '{name}'"; return null; }
            converters.AddRange(SplitConverters(text[(i + 1)..]).Select(c => c.Trim()).Where(c => c.Length > 0));
        }
        if (name.Length == 0) { error = $"missing fetch name in '{text}'"; return null; }
        return new FetchExpression(name, args, converters);
    }

    /// <summary>Splits "lower,map(/f.map,def)" at the commas outside parentheses.</summary>
    private static IEnumerable<string> SplitConverters(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')' && depth > 0) depth--;
            else if (text[i] == ',' && depth == 0) { yield return text[start..i]; start = i + 1; }
        }
        yield return text[start..];
    }
}
