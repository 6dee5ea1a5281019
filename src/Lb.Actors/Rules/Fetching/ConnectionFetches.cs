using System.Net;

namespace Lb.Actors.Rules.Fetching;

/// <summary>src / dst: the client's address, or the local address the client connected to.</summary>
internal sealed class AddressFetch(bool local) : IpFetch
{
    public override IPAddress? Get(in RuleContext ctx) => (local ? ctx.Local : ctx.Client)?.Address;
}

/// <summary>src_port / dst_port.</summary>
internal sealed class PortFetch(bool local) : IntFetch
{
    public override bool TryGet(in RuleContext ctx, out long value)
    {
        var ep = local ? ctx.Local : ctx.Client;
        value = ep?.Port ?? 0;
        return ep != null;
    }
}
