using System.Collections.Immutable;
using Lb.Config.Model;
using Lb.Config.Values;

namespace Lb.Config.Parsing;

/// <summary>'server NAME ADDR [options]' and 'default-server [options]'.</summary>
internal sealed partial class ProxyBuilder
{
    public void ParseServer(ConfigLine l, bool isDefault)
    {
        int i;
        Server s;
        if (isDefault)
        {
            s = P.DefaultServer;
            i = 1;
        }
        else
        {
            if (l[1].Length == 0 || l[2].Length == 0)
            {
                D.Alert(l.Location, "server", "'server' expects <name> and <addr>[:<port>] as arguments.");
                return;
            }
            var name = l[1];
            if (!ProxyNames.IsValid(name, out var bad))
            {
                D.Alert(l.Location, "server", $"character '{bad}' is not permitted in server name '{name}'.");
                return;
            }
            var err = AddressParser.TryParseServer(l[2], out var addr);
            if (err != null) { D.Alert(l.Location, "server", $"'server {P.Name}/{name}' : {err}"); return; }
            s = P.DefaultServer with { Name = name, Address = addr, Location = l.Location };
            i = 3;
        }
        var who = isDefault ? "default-server" : $"server {P.Name}/{l[1]}";
        var parsed = ServerOptionParser.Apply(s, l, i, who, D);
        if (parsed is null) return;
        if (isDefault) P = P with { DefaultServer = parsed };
        else Servers.Add(parsed);
    }
}
