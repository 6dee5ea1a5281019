using Xunit;

namespace Lb.Tests.Rules.Patterns;

/// <summary>A fact that needs the real haproxy and socat: skipped, saying which is missing, when they are not installed.</summary>
public sealed class HaproxyAndSocatFactAttribute : FactAttribute
{
    public const string Socat = "/usr/bin/socat";

    public HaproxyAndSocatFactAttribute()
    {
        if (!File.Exists(DataPlane.ProxyFixture.HaproxyPath)) Skip = $"needs the real haproxy at {DataPlane.ProxyFixture.HaproxyPath} (not installed)";
        else if (!File.Exists(Socat)) Skip = $"needs socat at {Socat} (Debian package 'socat', not installed)";
    }
}
