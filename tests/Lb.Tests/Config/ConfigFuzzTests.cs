using System.Text;
using Lb.Config;
using Lb.Config.Diagnostics;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Config;

/// <summary>
/// Property tests: whatever the input, <see cref="ConfigLoader.LoadText"/> returns (never throws),
/// every alert points at a line of the input, and the model is present exactly when there is no
/// alert. Inputs come from fixed-seed generators, so a failure reproduces with the same seed; the
/// failing input is printed in the assertion message. About 3,000 inputs in all.
/// </summary>
public sealed class ConfigFuzzTests
{
    private const string FileName = "fuzz.cfg";

    private static readonly string[] SectionHeaders =
    {
        "global", "defaults", "frontend", "backend", "listen", "peers", "resolvers", "userlist", "mailers",
        "program", "cache", "http-errors", "ring", "fcgi-app", "defaults d1", "defaults d2 from d1",
        "frontend fe", "frontend fe from d1", "backend be", "backend be2", "listen li", "listen li 127.0.0.1:80",
        "frontend fe extra", "backend", "peers p", "userlist u",
    };

    private static readonly string[] Keywords =
    {
        // global
        "maxconn", "daemon", "chroot", "user", "group", "uid", "gid", "nbthread", "nbproc", "pidfile", "ulimit-n",
        "node", "description", "log-tag", "spread-checks", "log", "stats", "tune.bufsize", "ssl-default-bind-ciphers",
        "lua-load", "cpu-map", "setenv",
        // proxies
        "mode", "bind", "fullconn", "retries", "timeout", "log-format", "disabled", "enabled", "id",
        "default_backend", "use_backend", "use-server", "errorfile", "monitor-uri", "rate-limit", "server",
        "default-server", "balance", "hash-type", "cookie", "option", "no", "default", "http-check", "acl",
        "http-request", "http-response", "http-after-response", "tcp-request", "tcp-response", "redirect",
        "stick-table", "stick", "capture", "monitor", "compression", "errorloc", "http-reuse", "source",
        "filter", "unique-id-format", "declare", "server-template", "dispatch", "force-persist",
        // legacy 1.x
        "contimeout", "clitimeout", "srvtimeout", "redispatch", "block", "reqadd", "rspadd", "reqdel", "reqidel",
        "reqrep", "reqirep", "rsprep", "appsession", "monitor-net", "reqallow", "reqsetbe",
        // preprocessor
        ".if", ".elif", ".else", ".endif", ".alert", ".warning", ".notice", ".diag",
    };

    private static readonly string[] Arguments =
    {
        // sub-keywords and options
        "http", "tcp", "health", "client", "server", "connect", "check", "queue", "tunnel", "http-keep-alive",
        "roundrobin", "static-rr", "leastconn", "source", "uri", "url_param", "hdr(host)", "hdr(", "random(2)",
        "rdp-cookie", "hash", "consistent", "map-based", "sdbm", "avalanche", "insert", "rewrite", "prefix",
        "indirect", "nocache", "domain", "maxidle", "httplog", "tcplog", "httpchk", "forwardfor", "except",
        "header", "if-none", "redispatch", "http-server-close", "httpclose", "forceclose", "dontlognull",
        "inter", "fastinter", "downinter", "rise", "fall", "weight", "backup", "port", "addr", "observe",
        "layer4", "layer7", "on-error", "mark-down", "error-limit", "slowstart", "maxqueue", "id", "ssl",
        "verify", "none", "send-proxy", "agent-check", "init-addr", "resolvers", "accept-proxy", "transparent",
        "level", "admin", "socket", "enable", "auth", "admin:secret", "realm", "refresh", "hide-version",
        "set-header", "add-header", "del-header", "replace-header", "deny", "allow", "redirect", "return",
        "status", "set-var(txn.x)", "track-sc0", "deny_status", "location", "scheme", "code", "drop-query",
        "on", "match", "store-request", "table", "type", "ip", "string", "size", "expire", "store",
        "gpc0,http_req_rate(10s)", "connection", "content", "inspect-delay", "expect", "rstring", "send",
        "meth", "ver", "disable-on-404", "global", "local0", "local99", "info", "len", "format", "rfc5424",
        "request", "response", "sessions", "from", "d1", "be", "be2", "fe", "s1", "s2", "X-Forwarded-For",
        "defined(VAR)", "streq(a,b)", "version_atleast(2.4)", "feature(OPENSSL)",
        // ACL words
        "path_beg", "path_reg", "path", "hdr_dom(host)", "hdr_end(host)", "src", "dst_port", "nbsrv(be)",
        "nbsrv(nosuch)", "srv_is_up(be/s1)", "req.hdr(host),lower", "ssl_fc", "url_param(x)", "nosuchfetch",
        "-i", "-m", "-f", "-u", "-n", "--", "reg", "beg", "str", "found", "if", "unless", "or", "||", "!",
        "!x", "TRUE", "FALSE", "METH_GET", "HTTP", "x", "y", "{", "}", "(", ")", "[", "]", "%[src]", "%[",
        "lt", "gt", "eq", "ge",
        // values
        "0", "1", "-1", "3", "100", "256", "300", "65535", "65536", "99999", "2147483647", "2147483648",
        "99999999999999999999", "5s", "10ms", "100us", "1m", "2h", "1d", "25d", "10parsecs", "1.5s", "2x", "s",
        "1k", "10m", "1g", "1x", "abc", "-", "+", "200", "302", "305", "418", "503",
        // addresses
        "127.0.0.1:80", "*:80", ":80", ":::80", "[::1]:80", "[::1]", "1.2.3.4:90-80", "1.2.3.4:80-90", ":0",
        "unix@/tmp/lb.sock", "/var/run/lb.sock", "abns@lb", "fd@3", "fd@x", "ipv6@1.2.3.4:80", "ipv4@:80",
        "300.1.1.1:80", "host.example.com:8080", "host:+1", "host:-1", "1.2.3.4", "10.0.0.0/8", "1.2.3.4/33",
        "::1/129", "nosuch@x", "a,,b", ",", "127.0.0.1:80,127.0.0.1:81",
        // quoting, escapes, comments, environment
        "\"", "'", "\"a b\"", "'a b'", "\"\"", "''", "\"'\"", "'\"'", "\\", "\\\\", "\\ ", "\\#", "\\\"",
        "\\'", "\\x41", "\\xZZ", "\\x4", "\\x", "\\r\\n", "\\t", "\\$", "#", "# comment", "a#b", "${VAR}",
        "\"${VAR}\"", "\"${UNSET}\"", "\"${UNSET-fallback}\"", "\"${\"", "\"${}\"", "\"${1abc}\"", "\"${VAR\"",
        "\"$VAR\"", "\"$1\"", "$VAR", "\"$\"", "\"${SPACES}\"", "${", "}",
        // unicode and oddities
        "é", "日本語", "\U0001F600", "\u200B", "\u202E", "\uFEFF", "Ω≈ç√", "\uD800", "\uDFFF", "ß", "İ",
    };

    private static readonly char[] ControlChars = { '\0', '\u0001', '\u0007', '\b', '\t', '\u000B', '\f', '\r', '\u001B', '\u007F', '\u0085', '\u2028' };

    private static readonly Dictionary<string, string> Env = new(StringComparer.Ordinal)
    {
        ["VAR"] = "value",
        ["SPACES"] = "a b  c",
        ["QUOTE"] = "\"'#\\",
        ["EMPTY"] = "",
    };

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(2024)]
    public void TokenSoup_NeverThrows_AndAlertsPointIntoTheInput(int seed)
    {
        var rng = new Random(seed);
        for (int i = 0; i < 500; i++)
            CheckInvariants(TokenSoup(rng), $"token soup, seed {seed}, input {i}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(99)]
    public void MutatedSeedConfigs_NeverThrow(int seed)
    {
        var seeds = SeedConfigs();
        Assert.True(seeds.Count == 11, $"expected the 11 seed configs in {SeedConfigDir()}, found {seeds.Count}");
        var rng = new Random(seed);
        foreach (var (name, text) in seeds)
        {
            // The unmutated seed first: it must load with line numbers in range too.
            CheckInvariants(text, $"seed config {name}");
            for (int i = 0; i < 30; i++)
                CheckInvariants(Mutate(text, rng), $"{name} mutated, seed {seed}, input {i}");
        }
    }

    [Theory]
    [InlineData("global\n    {0}\n")]
    [InlineData("{0}\n")]
    [InlineData("backend be\n    {0} 1\n")]
    [InlineData("backend be\n    server s1 1.2.3.4:80 {0}\n")]
    [InlineData("backend be\n    server {0} 1.2.3.4:80\n")]
    [InlineData("frontend fe\n    bind :80 {0}\n")]
    [InlineData("frontend fe\n    option {0}\n")]
    [InlineData("frontend fe\n    http-request {0}\n")]
    [InlineData("frontend fe\n    bind :80\n    acl x path_reg {0}\n    use_backend {0} if x\n")]
    [InlineData("defaults\n    timeout client {0}\n")]
    [InlineData("global\n    description \"{0}\"\n")]
    public void VeryLongWords_DoNotThrow(string template)
    {
        // 4,096 characters: twice HAProxy's historical line size.
        var word = string.Concat(Enumerable.Repeat("q7", 2_048));
        CheckInvariants(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, word), "very long word");
    }

    [Fact]
    public void Generators_AreDeterministic()
    {
        var a = new Random(5);
        var b = new Random(5);
        for (int i = 0; i < 20; i++) Assert.Equal(TokenSoup(a), TokenSoup(b));
    }

    private static void CheckInvariants(string text, string what)
    {
        LoadResult? result = null;
        var error = Record.Exception(() => result = ConfigLoader.LoadText(text, FileName, n => Env.GetValueOrDefault(n)));
        if (error != null) Fail($"LoadText threw {error}");
        var r = result!;

        int lineCount = text.Replace("\r\n", "\n").Split('\n').Length;
        foreach (var d in r.Diagnostics)
        {
            // Formatting must not throw either.
            _ = d.ToString();
            _ = d.Format(1);
            if (d.Severity != Severity.Alert) continue;
            if (d.Location is { } at)
            {
                if (at.File != FileName || at.Line < 1 || at.Line > lineCount)
                    Fail($"alert at {at} outside the {lineCount}-line input: {d}");
            }
            // Only file-level errors (those name the file rather than a line) may lack a location.
            else if (!d.Message.Contains(FileName, StringComparison.Ordinal))
            {
                Fail($"alert without a location: {d}");
            }
        }
        bool hasAlert = r.Diagnostics.Any(d => d.Severity == Severity.Alert);
        if (hasAlert != (r.Config is null))
            Fail($"Config is {(r.Config is null ? "null" : "set")} but {(hasAlert ? "there are" : "there is no")} alert");

        // Messages are only built on failure: rendering the input for every check is costly.
        void Fail(string message) => Assert.Fail($"{what}: {message}\n--- input ---\n{Show(text)}");
    }

    // ---- token soup ----

    private static string TokenSoup(Random rng)
    {
        var sb = new StringBuilder();
        int lines = rng.Next(1, 40);
        for (int l = 0; l < lines; l++)
        {
            int shape = rng.Next(100);
            if (shape < 12) sb.Append(Pick(rng, SectionHeaders));
            else if (shape < 15) { } // blank line
            else if (shape < 18) sb.Append(RandomChars(rng, rng.Next(1, 80)));
            else
            {
                if (rng.Next(4) != 0) sb.Append(rng.Next(2) == 0 ? "    " : "\t");
                sb.Append(Pick(rng, Keywords));
                int words = rng.Next(0, 10);
                for (int w = 0; w < words; w++)
                {
                    sb.Append(rng.Next(8) == 0 ? "" : " ");
                    sb.Append(Word(rng));
                }
            }
            sb.Append(rng.Next(20) == 0 ? "\r\n" : "\n");
        }
        // One input in ten gets a very long word, as a keyword or as an argument.
        if (rng.Next(10) == 0)
        {
            var text = sb.ToString();
            var at = rng.Next(text.Length + 1);
            var pad = rng.Next(2) == 0 ? "\n    " : " ";
            return text[..at] + pad + LongWord(rng) + pad + text[at..];
        }
        if (rng.Next(5) == 0) sb.Length--; // sometimes no final newline
        return sb.ToString();
    }

    private static string Word(Random rng)
    {
        int kind = rng.Next(100);
        if (kind < 55) return Pick(rng, Arguments);
        if (kind < 70) return Pick(rng, Keywords);
        if (kind < 78) return Pick(rng, Arguments) + Pick(rng, Arguments); // glued
        if (kind < 84) return RandomChars(rng, rng.Next(1, 12));
        if (kind < 88) return ControlChars[rng.Next(ControlChars.Length)].ToString();
        if (kind < 91) return rng.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) + Pick(rng, new[] { "", "ms", "s", "m", "h", "d", "us", "k", "x" });
        if (kind < 94) return Pick(rng, Arguments) + new string((char)('a' + rng.Next(26)), rng.Next(20, 200));
        if (kind < 96) return new string('9', rng.Next(20, 400));
        if (kind < 98) return string.Concat(Enumerable.Repeat("\\", rng.Next(1, 6)));
        return "\"" + Pick(rng, Arguments) + " " + Pick(rng, Arguments) + "\"";
    }

    /// <summary>
    /// 256 to 1,024 characters. Longer words are covered by <see cref="VeryLongWords_DoNotThrow"/>
    /// only: the "did you mean" search costs O(length x candidates) per unknown word, so many of
    /// them would make this test slow.
    /// </summary>
    private static string LongWord(Random rng) => rng.Next(3) switch
    {
        0 => new string((char)('a' + rng.Next(26)), rng.Next(256, 1_024)),
        1 => string.Concat(Enumerable.Range(0, rng.Next(30, 100)).Select(_ => Pick(rng, Arguments))).Replace(" ", "").Replace("\n", ""),
        _ => new string('9', rng.Next(256, 1_024)) + "ms",
    };

    private static string RandomChars(Random rng, int count)
    {
        var sb = new StringBuilder(count);
        for (int i = 0; i < count; i++)
        {
            int r = rng.Next(10);
            sb.Append(r switch
            {
                < 6 => (char)rng.Next(0x20, 0x7F),
                6 => ControlChars[rng.Next(ControlChars.Length)],
                7 => (char)rng.Next(0x80, 0x800),
                8 => (char)rng.Next(0x3000, 0xD7FF),
                _ => Specials[rng.Next(Specials.Length)],
            });
        }
        return sb.ToString().Replace("\n", " ");
    }

    private const string Specials = "\"'\\#${}!|";

    private static string Pick(Random rng, string[] items) => items[rng.Next(items.Length)];

    // ---- mutations of the seed configs ----

    private static string Mutate(string text, Random rng)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        int mutations = rng.Next(1, 6);
        for (int m = 0; m < mutations && lines.Count > 0; m++)
        {
            int li = rng.Next(lines.Count);
            var words = lines[li].Split(' ').ToList();
            int wi = rng.Next(words.Count);
            switch (rng.Next(11))
            {
                case 0: // delete a word
                    words.RemoveAt(wi);
                    lines[li] = string.Join(' ', words);
                    break;
                case 1: // duplicate a word
                    words.Insert(wi, words[wi]);
                    lines[li] = string.Join(' ', words);
                    break;
                case 2: // swap two words of the line
                    int wj = rng.Next(words.Count);
                    (words[wi], words[wj]) = (words[wj], words[wi]);
                    lines[li] = string.Join(' ', words);
                    break;
                case 3: // replace a word with one from another line
                    var other = lines[rng.Next(lines.Count)].Split(' ');
                    words[wi] = other[rng.Next(other.Length)];
                    lines[li] = string.Join(' ', words);
                    break;
                case 4: // replace a word with a fuzz token
                    words[wi] = Word(rng);
                    lines[li] = string.Join(' ', words);
                    break;
                case 5: // delete a line
                    lines.RemoveAt(li);
                    break;
                case 6: // duplicate a line
                    lines.Insert(li, lines[li]);
                    break;
                case 7: // swap two lines
                    int lj = rng.Next(lines.Count);
                    (lines[li], lines[lj]) = (lines[lj], lines[li]);
                    break;
                case 8: // insert a random character
                    int at = rng.Next(lines[li].Length + 1);
                    lines[li] = lines[li].Insert(at, RandomChars(rng, 1));
                    break;
                case 9: // cut the line short
                    lines[li] = lines[li][..rng.Next(lines[li].Length + 1)];
                    break;
                default: // move a line into another section
                    var moved = lines[li];
                    lines.RemoveAt(li);
                    lines.Insert(rng.Next(lines.Count + 1), moved);
                    break;
            }
        }
        return string.Join('\n', lines);
    }

    private static List<(string Name, string Text)> SeedConfigs()
    {
        var dir = SeedConfigDir();
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.cfg").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList()
            : new List<(string, string)>();
    }

    /// <summary>../shared/seed-configs beside the repository root (the folder holding Lb.sln).</summary>
    private static string SeedConfigDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Lb.sln"))) dir = dir.Parent;
        Assert.True(dir != null, $"Lb.sln not found above {AppContext.BaseDirectory}");
        return Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "seed-configs"));
    }

    /// <summary>The input with control characters made visible and very long inputs cut.</summary>
    private static string Show(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Length > 4000 ? text[..4000] + "…(cut)" : text)
            sb.Append(c == '\n' || c >= ' ' && c != '\u007F' ? c.ToString() : $"\\u{(int)c:X4}");
        return sb.ToString();
    }
}
