namespace Lb.Actors.Health;

/// <summary>What one check result did to a server's operational state.</summary>
public enum HealthTransition { None, WentDown, WentUp, WentNolb, LeftNolb }

/// <summary>
/// HAProxy's rise/fall state machine for one server, without Akka. A health counter runs from 0
/// to rise+fall-1: the server is UP while it is at least 'rise'. A failure while UP takes one
/// off and, below 'rise', drops it to 0 (DOWN); a pass while DOWN adds one and, at 'rise', lifts
/// it to the top (UP). A checked server starts at 'rise': UP but one failed check away from
/// DOWN ("UP 1/3" with fall 3), as haproxy 2.6 does. NOLB (stopping, from disable-on-404) and
/// the admin states MAINT and DRAIN sit on top of the counter.
/// </summary>
public sealed class HealthMachine
{
    public HealthMachine(int rise, int fall, bool checkEnabled = true, bool maint = false)
    {
        Rise = Math.Max(1, rise);
        Fall = Math.Max(1, fall);
        CheckEnabled = checkEnabled;
        Maint = maint;
        Health = Rise;
    }

    public int Rise { get; }
    public int Fall { get; }
    public bool CheckEnabled { get; }
    public int Health { get; private set; }
    public bool Stopping { get; private set; }
    public bool Maint { get; private set; }
    public bool Drain { get; private set; }

    private int Top => Rise + Fall - 1;

    /// <summary>Operationally up (ignoring admin states): a server without 'check' always is.</summary>
    public bool IsUp => !CheckEnabled || Health >= Rise;

    /// <summary>Takes new balanced traffic: up, not NOLB, not in MAINT or DRAIN.</summary>
    public bool IsUsable => IsUp && !Stopping && !Maint && !Drain;

    /// <summary>At rest: fully up or fully down (the check interval is 'inter' or 'downinter').</summary>
    public bool IsSteady => Health == 0 || Health == Top;

    /// <summary>A pass: DOWN 1/2 -> UP; ends NOLB.</summary>
    public HealthTransition Pass()
    {
        if (Maint) return HealthTransition.None; // passes do not count in maintenance, as in haproxy
        bool wasUp = IsUp, wasStopping = Stopping;
        if (Health < Top)
        {
            Health++;
            if (Health >= Rise) Health = Top;
        }
        Stopping = false;
        if (!wasUp && IsUp) return HealthTransition.WentUp;
        return wasStopping && IsUp ? HealthTransition.LeftNolb : HealthTransition.None;
    }

    /// <summary>A 404 under disable-on-404: an UP server goes NOLB; a DOWN one counts it as a failure.</summary>
    public HealthTransition ConditionalPass()
    {
        if (!IsUp) return Fail().Transition;
        if (Maint) return HealthTransition.None;
        if (Health < Top) Health++;
        if (Stopping) return HealthTransition.None;
        Stopping = true;
        return HealthTransition.WentNolb;
    }

    /// <summary>A failure. Counted is false once the server is already fully DOWN (haproxy's chkfail).</summary>
    public (HealthTransition Transition, bool Counted) Fail()
    {
        if (Health == 0) return (HealthTransition.None, false);
        bool wasUp = IsUp;
        Health--;
        if (Health < Rise) Health = 0;
        if (wasUp && !IsUp)
        {
            Stopping = false;
            return (Maint ? HealthTransition.None : HealthTransition.WentDown, true);
        }
        return (HealthTransition.None, true);
    }

    /// <summary>on-error sudden-death: one failure left before DOWN, then that failure.</summary>
    public (HealthTransition Transition, bool Counted) SuddenDeath()
    {
        if (Health > Rise) Health = Rise + 1;
        return Fail();
    }

    /// <summary>on-error mark-down: DOWN at once.</summary>
    public (HealthTransition Transition, bool Counted) MarkDown()
    {
        if (Health > Rise) Health = Rise;
        return Fail();
    }

    public void SetMaint(bool on) => Maint = on;

    /// <summary>'set server ... health up|stopping|down': jumps to fully up (or NOLB) or fully down.</summary>
    public HealthTransition Force(bool up, bool stopping)
    {
        bool wasUp = IsUp, wasStopping = Stopping;
        if (!CheckEnabled) return HealthTransition.None;
        Health = up ? Rise + Fall - 1 : 0;
        Stopping = up && stopping;
        if (wasUp && !IsUp) return Maint ? HealthTransition.None : HealthTransition.WentDown;
        if (!wasUp && IsUp) return Stopping ? HealthTransition.WentNolb : HealthTransition.WentUp;
        if (IsUp && Stopping && !wasStopping) return HealthTransition.WentNolb;
        if (IsUp && !Stopping && wasStopping) return HealthTransition.LeftNolb;
        return HealthTransition.None;
    }
    public void SetDrain(bool on) => Drain = on;

    /// <summary>The delay before the next check: inter when steady UP, downinter when DOWN, fastinter in between.</summary>
    public TimeSpan NextInterval(TimeSpan inter, TimeSpan? fastInter, TimeSpan? downInter)
    {
        if (Health == Top) return inter;
        if (Health == 0) return downInter ?? inter;
        return fastInter ?? inter;
    }

    /// <summary>The stats 'status' text: UP, UP 1/3, DOWN, DOWN 1/2, NOLB, NOLB 2/3, MAINT, DRAIN, no check.</summary>
    public string Describe()
    {
        if (Maint) return "MAINT";
        if (!CheckEnabled) return Drain ? "DRAIN" : "no check";
        if (Health >= Rise)
        {
            if (Drain) return "DRAIN";
            var word = Stopping ? "NOLB" : "UP";
            return Health == Top ? word : $"{word} {Health - Rise + 1}/{Fall}";
        }
        return Health == 0 ? "DOWN" : $"DOWN {Health}/{Rise}";
    }
}
