using Lb.Config;
using Lb.Config.Diagnostics;
using Xunit;

namespace Lb.Tests.Config;

/// <summary>A 10,000-line configuration loads cleanly and completely (no timing here: see bench/).</summary>
public sealed class LargeConfigTests
{
    [Fact]
    public void TenThousandLineConfig_LoadsWithoutAlerts()
    {
        var text = LargeConfigGenerator.Generate();
        Assert.True(text.Split('\n').Length >= 10_000, "the generated config should have at least 10,000 lines");

        var r = ConfigLoader.LoadText(text, "large.cfg", _ => null);

        var alerts = r.Diagnostics.Where(d => d.Severity == Severity.Alert).Take(10).ToList();
        Assert.True(alerts.Count == 0, "unexpected alerts:\n" + string.Join("\n", alerts));
        Assert.NotNull(r.Config);
        var config = r.Config!;

        var backends = config.Backends.ToList();
        Assert.Equal(1_000, backends.Count);
        Assert.Equal(4_000, backends.Sum(b => b.Servers.Length));
        Assert.All(backends, b =>
        {
            Assert.Equal(4, b.Servers.Length);
            Assert.All(b.Servers, s =>
            {
                Assert.True(s.Check);
                Assert.Equal(TimeSpan.FromSeconds(2), s.Inter);
                Assert.Equal(2, s.Rise);
                Assert.Equal(3, s.Fall);
            });
            Assert.True(b.HttpCheck.Enabled);
        });

        var fe = Assert.Single(config.Frontends);
        Assert.Equal("fe_main", fe.Name);
        Assert.Equal(1_000, fe.Acls.Length);
        Assert.Equal(1_000, fe.UseBackends.Length);
        Assert.Equal(LargeConfigGenerator.BackendName(999), fe.UseBackends[^1].Backend);
        Assert.Equal(LargeConfigGenerator.BackendName(0), fe.DefaultBackend);
    }

    [Fact]
    public void Generator_IsDeterministic_AndScales()
    {
        Assert.Equal(LargeConfigGenerator.Generate(10, 2), LargeConfigGenerator.Generate(10, 2));

        var r = ConfigLoader.LoadText(LargeConfigGenerator.Generate(10, 2), "small.cfg", _ => null);

        Assert.True(r.Success, string.Join("\n", r.Alerts));
        Assert.Equal(10, r.Config!.Backends.Count());
        Assert.Equal(20, r.Config.Backends.Sum(b => b.Servers.Length));
    }
}
