using Lb.Tests.Config;
using Lb.Tests.Support;
using Xunit;

namespace Lb.Tests.Node;

/// <summary>`Lb.Node -c -f FILE` as an operator runs it: seed configs pass, broken ones name file:line.</summary>
public class CheckModeProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static IEnumerable<object[]> SeedFilesWithLegacyCounts() =>
        SeedConfigTests.SeedFiles().Select(f => new object[]
        {
            f[0],
            SeedConfigTests.LegacyKeywords().Count(l => (string)l[0] == (string)f[0]),
        });

    [Theory]
    [MemberData(nameof(SeedFilesWithLegacyCounts))]
    public async Task Check_SeedConfig_Exits0AndWarnsOncePerLegacyKeyword(string name, int legacyCount)
    {
        var path = Path.Combine(RepoPaths.SeedConfigs, name);
        var (code, stdout, stderr) = await NodeProcess.RunAsync(_dir.Path, Timeout, "-c", "-f", path);
        Assert.True(code == 0, stderr);
        Assert.Contains("Configuration file is valid", stdout);
        var translated = stderr.Split('\n').Where(l => l.StartsWith("[WARNING]") && l.Contains("translated to")).ToList();
        Assert.Equal(legacyCount, translated.Count);
        Assert.All(translated, l => Assert.Contains($"parsing [{path}:", l));
        Assert.DoesNotContain("[ALERT]", stderr);
    }

    public static IEnumerable<object[]> BrokenConfigs() => new[]
    {
        new object[] { "frontend fe\n    bind 127.0.0.1:8080\n    frobnicate on\n", 3, "unknown keyword 'frobnicate'" },
        new object[] { "defaults\n    timeout client 10parsecs\n", 2, "unexpected character 'p'" },
        new object[] { "backend app\n    balance roundrobbin\n", 2, "did you mean 'roundrobin'" },
        new object[] { "backend app\n    server s1\n", 2, "'server' expects <name> and <addr>" },
        new object[] { "frontend fe\n    bind 127.0.0.1:8080\n    default_backend nosuch\n", 3, "unable to find required default_backend: 'nosuch'" },
        new object[] { "frontend fe\n    bind 127.0.0.1:8080\n    use_backend app if no_such_acl\nbackend app\n", 3, "no such ACL : 'no_such_acl'" },
        new object[] { "frontend fe\n    bind\n", 2, "'bind' expects" },
        new object[] { "global\n    maxconn \"4096\n", 2, "unmatched quote" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigs))]
    public async Task Check_BrokenConfig_Exits1NamingFileAndLine(string text, int line, string message)
    {
        var path = _dir.File("haproxy.cfg", text);
        var (code, stdout, stderr) = await NodeProcess.RunAsync(_dir.Path, Timeout, "-c", "-f", path);
        Assert.Equal(1, code);
        Assert.DoesNotContain("Configuration file is valid", stdout);
        Assert.Contains(stderr.Split('\n'), l => l.StartsWith("[ALERT]") && l.Contains($"parsing [{path}:{line}] : ") && l.Contains(message));
    }
}
