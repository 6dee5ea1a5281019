using System.Text;

namespace Lb.Config.Parsing;

/// <summary>
/// Splits one haproxy.cfg line into words exactly as HAProxy does: blanks separate words, '#'
/// outside quotes starts a comment (even glued to a word), single quotes take everything
/// literally, double quotes allow backslash escapes and "${VAR}" expansion, and a backslash
/// escapes a blank, '#', a quote, '$' or itself; \r \n \t and \xHH become those bytes. Any other
/// backslash sequence (e.g. "\." in a regex) is kept as written.
/// </summary>
public static class Tokenizer
{
    /// <summary>Returns null on success, else the error text (HAProxy's wording).</summary>
    public static string? Tokenize(string line, List<string> words, Func<string, string?> env)
    {
        words.Clear();
        var word = new StringBuilder();
        bool inWord = false, squote = false, dquote = false;
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (squote)
            {
                if (c == '\'') squote = false; else word.Append(c);
                i++;
                continue;
            }
            if (!dquote && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'))
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                i++;
                continue;
            }
            if (!dquote && c == '#') break;
            inWord = true;
            switch (c)
            {
                case '\'' when !dquote:
                    squote = true;
                    i++;
                    break;
                case '"':
                    dquote = !dquote;
                    i++;
                    break;
                case '\\':
                    var err = Escape(line, ref i, word);
                    if (err != null) return err;
                    break;
                case '$' when dquote:
                    var envErr = Expand(line, ref i, word, env);
                    if (envErr != null) return envErr;
                    break;
                default:
                    word.Append(c);
                    i++;
                    break;
            }
        }
        if (squote || dquote) return "unmatched quote";
        if (inWord) words.Add(word.ToString());
        return null;
    }

    private static string? Escape(string line, ref int i, StringBuilder word)
    {
        if (i + 1 >= line.Length) { word.Append('\\'); i++; return null; }
        char n = line[i + 1];
        switch (n)
        {
            case ' ': case '\\': case '#': case '\'': case '"': case '$':
                word.Append(n); i += 2; return null;
            case 'r': word.Append('\r'); i += 2; return null;
            case 'n': word.Append('\n'); i += 2; return null;
            case 't': word.Append('\t'); i += 2; return null;
            case 'x':
                if (i + 3 < line.Length && Uri.IsHexDigit(line[i + 2]) && Uri.IsHexDigit(line[i + 3]))
                {
                    word.Append((char)Convert.ToByte(line.Substring(i + 2, 2), 16));
                    i += 4;
                    return null;
                }
                return $"truncated or invalid hexadecimal sequence at position {i + 1}";
            default:
                word.Append('\\'); i++; return null;
        }
    }

    // "$NAME", "${NAME}" and "${NAME-default}"; an undefined variable expands to nothing.
    private static string? Expand(string line, ref int i, StringBuilder word, Func<string, string?> env)
    {
        int start = i + 1;
        if (start < line.Length && line[start] == '{')
        {
            int close = line.IndexOf('}', start + 1);
            if (close < 0) return $"missing closing '}}' for environment variable at position {i + 1}";
            var body = line.Substring(start + 1, close - start - 1);
            string? fallback = null;
            int dash = body.IndexOf('-');
            if (dash >= 0) { fallback = body[(dash + 1)..]; body = body[..dash]; }
            if (!IsName(body)) return $"invalid environment variable name '{body}' at position {i + 1}";
            var value = env(body);
            word.Append(string.IsNullOrEmpty(value) ? fallback ?? "" : value);
            i = close + 1;
            return null;
        }
        int end = start;
        if (end < line.Length && char.IsAsciiDigit(line[end])) { word.Append('$'); i++; return null; }
        while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '_')) end++;
        if (end == start) { word.Append('$'); i++; return null; }
        word.Append(env(line[start..end]) ?? "");
        i = end;
        return null;
    }

    private static bool IsName(string s) =>
        s.Length > 0 && s.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
}
