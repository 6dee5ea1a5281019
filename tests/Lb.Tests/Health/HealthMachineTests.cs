using Lb.Actors.Health;
using Xunit;

namespace Lb.Tests.Health;

public sealed class HealthMachineTests
{
    [Fact]
    public void New_CheckedServer_StartsUpOneFailureAwayFromDown()
    {
        var m = new HealthMachine(rise: 2, fall: 3);
        Assert.Equal("UP 1/3", m.Describe());
        Assert.True(m.IsUsable);
        Assert.Equal((HealthTransition.WentDown, true), m.Fail());
        Assert.Equal("DOWN", m.Describe());
        Assert.False(m.IsUsable);
    }

    [Fact]
    public void Fail_FromFullHealth_CountsDownThroughTheTransitionalStates()
    {
        var m = new HealthMachine(rise: 2, fall: 3);
        Assert.Equal(HealthTransition.None, m.Pass());
        Assert.Equal("UP", m.Describe());
        Assert.Equal((HealthTransition.None, true), m.Fail());
        Assert.Equal("UP 2/3", m.Describe());
        Assert.Equal((HealthTransition.None, true), m.Fail());
        Assert.Equal("UP 1/3", m.Describe());
        Assert.True(m.IsUsable);
        Assert.Equal((HealthTransition.WentDown, true), m.Fail());
        Assert.Equal("DOWN", m.Describe());
        // Already fully down: not counted again (chkfail stays).
        Assert.Equal((HealthTransition.None, false), m.Fail());
    }

    [Fact]
    public void Pass_WhileDown_RisesThroughDownStatesThenJumpsToFullHealth()
    {
        var m = new HealthMachine(rise: 3, fall: 2);
        m.Fail();
        Assert.Equal(HealthTransition.None, m.Pass());
        Assert.Equal("DOWN 1/3", m.Describe());
        Assert.Equal(HealthTransition.None, m.Pass());
        Assert.Equal("DOWN 2/3", m.Describe());
        Assert.Equal(HealthTransition.WentUp, m.Pass());
        Assert.Equal("UP", m.Describe());
        // A failure in the middle of rising starts over from 0.
        m.Fail(); m.Fail();
        m.Pass(); m.Fail();
        Assert.Equal("DOWN", m.Describe());
    }

    [Fact]
    public void ConditionalPass_WhileUp_IsNolbUntilAPass()
    {
        var m = new HealthMachine(rise: 2, fall: 2);
        m.Pass();
        Assert.Equal(HealthTransition.WentNolb, m.ConditionalPass());
        Assert.Equal("NOLB", m.Describe());
        Assert.True(m.IsUp);
        Assert.False(m.IsUsable);
        Assert.Equal(HealthTransition.None, m.ConditionalPass());
        Assert.Equal(HealthTransition.LeftNolb, m.Pass());
        Assert.Equal("UP", m.Describe());
        Assert.True(m.IsUsable);
    }

    [Fact]
    public void ConditionalPass_WhileDown_CountsAsAFailure()
    {
        var m = new HealthMachine(rise: 2, fall: 2);
        m.Fail();
        m.Pass();
        Assert.Equal("DOWN 1/2", m.Describe());
        Assert.Equal(HealthTransition.None, m.ConditionalPass());
        Assert.Equal("DOWN", m.Describe());
    }

    [Fact]
    public void NolbServer_ThatFails_GoesDown()
    {
        var m = new HealthMachine(rise: 1, fall: 2);
        m.Pass();
        m.ConditionalPass();
        m.Fail();
        Assert.Equal("NOLB 1/2", m.Describe());
        Assert.Equal(HealthTransition.WentDown, m.Fail().Transition);
        Assert.False(m.Stopping);
    }

    [Fact]
    public void SuddenDeath_LeavesOneFailure_MarkDown_IsImmediate()
    {
        var m = new HealthMachine(rise: 2, fall: 5);
        m.Pass();
        Assert.Equal(HealthTransition.None, m.SuddenDeath().Transition);
        Assert.Equal("UP 1/5", m.Describe());
        Assert.Equal(HealthTransition.WentDown, m.Fail().Transition);

        var n = new HealthMachine(rise: 2, fall: 5);
        n.Pass();
        Assert.Equal(HealthTransition.WentDown, n.MarkDown().Transition);
    }

    [Fact]
    public void Maint_IgnoresPassesAndReportsNoTransition()
    {
        var m = new HealthMachine(rise: 2, fall: 2, maint: true);
        Assert.Equal("MAINT", m.Describe());
        Assert.False(m.IsUsable);
        Assert.Equal(HealthTransition.None, m.Fail().Transition);
        Assert.Equal(HealthTransition.None, m.Pass());
        Assert.Equal(HealthTransition.None, m.Pass());
        m.SetMaint(false);
        Assert.Equal("DOWN", m.Describe());
    }

    [Fact]
    public void NoCheck_IsAlwaysUp_DrainIsNotUsable()
    {
        var m = new HealthMachine(rise: 2, fall: 3, checkEnabled: false);
        Assert.Equal("no check", m.Describe());
        Assert.True(m.IsUsable);
        m.SetDrain(true);
        Assert.Equal("DRAIN", m.Describe());
        Assert.False(m.IsUsable);
    }

    [Fact]
    public void NextInterval_InterWhenSteadyUp_DownInterWhenDown_FastInterInBetween()
    {
        var inter = TimeSpan.FromSeconds(2);
        var fast = TimeSpan.FromMilliseconds(500);
        var down = TimeSpan.FromSeconds(10);
        var m = new HealthMachine(rise: 2, fall: 3);
        Assert.Equal(fast, m.NextInterval(inter, fast, down)); // starts in transition
        m.Pass();
        Assert.Equal(inter, m.NextInterval(inter, fast, down));
        m.Fail();
        Assert.Equal(fast, m.NextInterval(inter, fast, down));
        m.Fail(); m.Fail();
        Assert.Equal(down, m.NextInterval(inter, fast, down));
        Assert.Equal(inter, m.NextInterval(inter, null, null));
    }
}
