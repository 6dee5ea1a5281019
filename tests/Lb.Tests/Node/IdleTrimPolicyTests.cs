using Lb.Node;
using Xunit;

namespace Lb.Tests.Node;

public sealed class IdleTrimPolicyTests
{
    private const long Big = 200L << 20, Small = 10L << 20;

    [Fact]
    public void Busy_NeverTrims()
    {
        var p = new IdleTrimPolicy();
        for (int gen0 = 0; gen0 < 10; gen0++) Assert.False(p.Tick(gen0, Big));
    }

    [Fact]
    public void IdleAfterBusy_TrimsOnce_ThenNotAgainUntilBusy()
    {
        var p = new IdleTrimPolicy();
        Assert.False(p.Tick(5, Big));   // first sample
        Assert.True(p.Tick(5, Big));    // a whole period without a gen0 collection
        p.Trimmed(6);                   // the trim itself counts as a collection
        Assert.False(p.Tick(6, Big));
        Assert.False(p.Tick(6, Big));   // still idle: no second trim
        Assert.False(p.Tick(9, Big));   // busy again
        Assert.True(p.Tick(9, Big));    // idle again: trims again
    }

    [Fact]
    public void IdleWithSmallHeap_DoesNotTrim()
    {
        var p = new IdleTrimPolicy();
        Assert.False(p.Tick(1, Small));
        Assert.False(p.Tick(1, Small));
    }
}
