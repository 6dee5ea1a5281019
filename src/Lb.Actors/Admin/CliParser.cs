namespace Lb.Actors.Admin;

/// <summary>
/// Splits a runtime-API input line the way haproxy's CLI does: ';' separates commands (unless
/// escaped as '\;'), spaces and tabs separate words, a backslash escapes the next character.
/// </summary>
public static class CliParser
{
    /// <summary>The commands of one line, each as its words (an empty array for an empty command).</summary>
    public static List<string[]> Split(string line)
    {
        var commands = new List<string[]>();
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        bool inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
                continue;
            }
            if (c == ';')
            {
                Flush();
                commands.Add(words.ToArray());
                words.Clear();
                continue;
            }
            if (c is ' ' or '\t' or '\r')
            {
                Flush();
                continue;
            }
            word.Append(c);
            inWord = true;
        }
        Flush();
        commands.Add(words.ToArray());
        return commands;

        void Flush()
        {
            if (!inWord) return;
            words.Add(word.ToString());
            word.Clear();
            inWord = false;
        }
    }

    /// <summary>"BACKEND/SERVER" into its two names; null when there is no '/'.</summary>
    public static (string Backend, string Server)? BackendServer(string? arg)
    {
        if (arg is null) return null;
        int slash = arg.IndexOf('/');
        if (slash < 0) return null;
        return (arg[..slash], arg[(slash + 1)..]);
    }
}
