using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Fetching;

/// <summary>
/// nbsrv([backend]): usable servers of the named backend (else the current one), read from its
/// published snapshot without a lock: the active servers that are up with a weight, else 1 for
/// the first usable backup (all of them with 'option allbackups'), as HAProxy's be_usable_srv.
/// </summary>
internal sealed class UsableServersFetch(BackendHandle? backend) : IntFetch
{
    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = 0;
        if ((backend ?? ctx.Backend) is not { } b) return false;
        value = Count(b.Snapshot);
        return true;
    }

    public static int Count(BackendSnapshot snap)
    {
        int active = 0, backups = 0;
        foreach (var s in snap.Active) if (s.EffectiveWeight > 0) active++;
        if (active > 0) return active;
        foreach (var s in snap.Backups) if (s.EffectiveWeight > 0) backups++;
        return snap.Config.HasOption("allbackups") ? backups : Math.Min(backups, 1);
    }
}

/// <summary>be_conn([backend]): connections currently open to the backend's servers.</summary>
internal sealed class BackendConnectionsFetch(BackendHandle? backend) : IntFetch
{
    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = 0;
        if ((backend ?? ctx.Backend) is not { } b) return false;
        foreach (var s in b.Snapshot.All) value += s.CurrentConns;
        return true;
    }
}

/// <summary>queue([backend]): requests waiting for a server slot in the backend.</summary>
internal sealed class BackendQueueFetch(BackendHandle? backend) : IntFetch
{
    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = 0;
        if ((backend ?? ctx.Backend) is not { } b) return false;
        foreach (var s in b.Snapshot.All) value += s.Queued;
        return true;
    }
}

/// <summary>fe_conn: the frontend's current sessions.</summary>
internal sealed class FrontendConnectionsFetch : IntFetch
{
    public override bool TryGet(in RuleContext ctx, out long value)
    {
        value = ctx.Frontend?.CurrentSessions ?? 0;
        return ctx.Frontend != null;
    }
}

/// <summary>be_name / fe_name: the current backend's or the frontend's name.</summary>
internal sealed class ProxyNameFetch(bool backend) : Fetch
{
    public override SampleKind Kind => SampleKind.Str;

    private string? Name(in RuleContext ctx) => backend ? ctx.Backend?.Name : ctx.Frontend?.Name;

    public override bool Matches(in RuleContext ctx, Matcher matcher)
    {
        if (Name(ctx) is not { } name) return false;
        Span<byte> text = stackalloc byte[Encoding.Latin1.GetByteCount(name)];
        Encoding.Latin1.GetBytes(name, text);
        return matcher.MatchString(text);
    }

    public override bool AppendTo(in RuleContext ctx, ref ValueBuilder output)
    {
        if (Name(ctx) is not { } name) return false;
        output.AppendLatin1(name);
        return true;
    }
}
