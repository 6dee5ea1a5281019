using Lb.Config;
using Xunit;

namespace Lb.Tests.Config;

public class SuggestionTests
{
    private static string OnlyAlert(string text) => Assert.Single(ConfigLoader.LoadText(text, "t.cfg").Alerts).Message;

    [Fact]
    public void ServerOption_SwappedLetters_SuggestsCheck() =>
        Assert.EndsWith("did you mean 'check' maybe ?", OnlyAlert("backend b\n server s 127.0.0.1:80 chekc\n"));

    [Fact]
    public void UnknownOption_WithoutSuggestion_EndsWithPeriod() =>
        Assert.EndsWith("unknown option 'zzzzzzzzzzzz'.", OnlyAlert("backend b\n option zzzzzzzzzzzz\n"));

    [Fact]
    public void BindOption_Suggestion_HasNoStrayPeriod()
    {
        var message = OnlyAlert("frontend f\n bind 127.0.0.1:80 trasparent\n");
        Assert.Contains("unknown keyword 'trasparent'; did you mean 'transparent' maybe ?", message);
    }

    [Fact]
    public void DefaultOption_InWrongSide_NamesTheOption()
    {
        var r = ConfigLoader.LoadText("frontend f\n bind 127.0.0.1:80\n default option redispatch\n", "t.cfg");
        Assert.Contains(r.Warnings, w => w.Message.StartsWith("'option redispatch' ignored"));
    }

    [Fact]
    public void VeryLongUnknownKeyword_GetsNoSuggestion() =>
        Assert.DoesNotContain("did you mean", OnlyAlert("global\n " + new string('x', 20_000) + "\n"));

    [Theory]
    [InlineData("acl x path -f -m")]
    [InlineData("acl x path -u -m")]
    [InlineData("http-request deny if { path -f -m }")]
    public void AclFlagValues_ThatLookLikeFlags_DoNotCrash(string line)
    {
        var r = ConfigLoader.LoadText("frontend f\n bind 127.0.0.1:80\n " + line + "\n", "t.cfg");
        Assert.DoesNotContain(r.Diagnostics, d => d.Message.Contains("internal error"));
    }

    [Fact]
    public void AclRegex_AfterFileFlag_IsStillChecked() =>
        Assert.Contains("regex", OnlyAlert("frontend f\n bind 127.0.0.1:80\n acl y path -f /dev/null -m reg (\n"));

    [Fact]
    public void AclPatternFile_Missing_IsAnAlert() =>
        Assert.Contains("failed to open pattern file </nonexistent.lst>", OnlyAlert("frontend f\n bind 127.0.0.1:80\n acl y path -f /nonexistent.lst\n"));
}
