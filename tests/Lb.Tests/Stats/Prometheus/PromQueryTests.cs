using System.Text;
using Lb.Actors.Stats.Prometheus;
using Xunit;

namespace Lb.Tests.Stats.Prometheus;

/// <summary>The exporter's query string, read as haproxy 2.6 reads it.</summary>
public sealed class PromQueryTests
{
    private static PromQuery? Parse(string target) => PromQuery.Parse(Encoding.ASCII.GetBytes(target));

    [Theory]
    [InlineData("/metrics", PromScope.All, false)]
    [InlineData("/metrics?", PromScope.All, false)]
    [InlineData("/metrics?scope=server", PromScope.Server, false)]
    [InlineData("/metrics?scope=server&scope=backend", PromScope.Server | PromScope.Backend, false)]
    [InlineData("/metrics?scope=", PromScope.None, false)]
    [InlineData("/metrics?scope=global&scope=", PromScope.None, false)]
    [InlineData("/metrics?scope=&scope=frontend", PromScope.Frontend, false)]
    [InlineData("/metrics?scope=*", PromScope.All, false)]
    [InlineData("/metrics?scope=*anything", PromScope.All, false)]
    [InlineData("/metrics?scope=listener&scope=sticktable", PromScope.Listener | PromScope.StickTable, false)]
    [InlineData("/metrics?scope=lb", PromScope.Lb, false)]
    [InlineData("/metrics?no-maint", PromScope.All, true)]
    [InlineData("/metrics?no-maint=&scope=server", PromScope.Server, true)]
    [InlineData("/metrics?scope=%73erver", PromScope.Server, false)]
    [InlineData("/metrics?scope=server#scope=bogus", PromScope.Server, false)]
    [InlineData("/metrics?other=1&scope=backend", PromScope.Backend, false)]
    public void Parse_ValidQuery_ScopesAndNoMaint(string target, PromScope scopes, bool noMaint)
    {
        Assert.Equal(new PromQuery(scopes, noMaint), Parse(target));
    }

    [Theory]
    [InlineData("/metrics?scope")]
    [InlineData("/metrics?scope=bogus")]
    [InlineData("/metrics?scope=server=1")]
    [InlineData("/metrics?scope=%zz")]
    [InlineData("/metrics?scope=%7")]
    [InlineData("/metrics?scope=Server")]
    public void Parse_BadQuery_Null(string target)
    {
        Assert.Null(Parse(target));
    }
}
