using Lb.Config;
using Xunit;

namespace Lb.Tests.Config;

public class ConditionalBlockTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PROD"] = "1" };

    private static Lb.Config.Model.LoadResult Load(string text) => ConfigLoader.LoadText(text, "t.cfg", n => Env.GetValueOrDefault(n));

    [Theory]
    [InlineData(".if defined(PROD)", 1)]
    [InlineData(".if defined(NOPE)", 2)]
    [InlineData(".if !defined(NOPE)", 1)]
    [InlineData(".if streq(a,a)", 1)]
    [InlineData(".if strneq(a,a)", 2)]
    [InlineData(".if version_atleast(2.4)", 1)]
    [InlineData(".if version_before(2.4)", 2)]
    [InlineData(".if 0", 2)]
    [InlineData(".if 0 || defined(PROD)", 1)]
    [InlineData(".if 1 && defined(NOPE)", 2)]
    public void If_SelectsBranch(string condition, int expectedRetries)
    {
        var r = Load($"backend b\n{condition}\n retries 1\n.else\n retries 2\n.endif\n");
        Assert.True(r.Success, string.Join("\n", r.Alerts));
        Assert.Equal(expectedRetries, r.Config!.FindBackend("b")!.Retries);
    }

    [Fact]
    public void Elif_TakesFirstTrueBranchOnly()
    {
        var r = Load("backend b\n.if 0\n retries 1\n.elif 1\n retries 2\n.elif 1\n retries 4\n.else\n retries 5\n.endif\n");
        Assert.Equal(2, r.Config!.FindBackend("b")!.Retries);
    }

    [Fact]
    public void NestedFalse_StaysFalse()
    {
        var r = Load("backend b\n retries 7\n.if 0\n.if 1\n retries 1\n.endif\n.endif\n");
        Assert.Equal(7, r.Config!.FindBackend("b")!.Retries);
    }

    [Fact]
    public void Messages_AndErrors()
    {
        var r = Load(".warning \"check me\"\n.if 1\n.alert \"stop here\"\n.endif\n.endif\n.if 1\n");
        Assert.Contains(r.Warnings, w => w.Message == "check me" && w.Location!.Value.Line == 1);
        Assert.Contains(r.Alerts, a => a.Message == "stop here" && a.Location!.Value.Line == 3);
        Assert.Contains(r.Alerts, a => a.Keyword == ".endif" && a.Location!.Value.Line == 5);
        Assert.Contains(r.Alerts, a => a.Keyword == ".if" && a.Location!.Value.Line == 6);
    }
}
