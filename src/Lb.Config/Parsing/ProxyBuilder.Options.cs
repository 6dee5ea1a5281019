using System.Collections.Immutable;
using Lb.Config.Keywords;
using Lb.Config.Model;

namespace Lb.Config.Parsing;

/// <summary>'option NAME [ARGS]', 'no option NAME' and 'default option NAME'.</summary>
internal sealed partial class ProxyBuilder
{
    public void ParseOption(ConfigLine l, int nameIndex, bool negated)
    {
        var name = l[nameIndex];
        var at = l.Location;
        if (name.Length == 0) { D.Alert(at, "option", "'option' expects an option name."); return; }
        if (Legacy.LegacyTranslator.TryTranslateOption(this, l, nameIndex, negated)) return;
        if (!ProxyOptions.Table.TryGetValue(name, out var spec))
        {
            D.Alert(at, "option", $"unknown option '{name}'{Suggest.OrPeriod(name, ProxyOptions.Table.Keys)}");
            return;
        }
        bool isDefault = l.Keyword == "default";
        if ((negated || isDefault) && !spec.Negatable)
        {
            D.Alert(at, "option", $"negation/default is not supported for option '{name}'.");
            return;
        }
        if (!Allowed(l, spec.Caps)) return;
        var args = l.Words.Skip(nameIndex + 1).ToImmutableArray();
        if (args.Length > spec.MaxArgs)
        {
            D.Alert(at, "option", spec.MaxArgs == 0
                ? $"'option {name}' cannot handle unexpected argument '{args[0]}'."
                : $"'option {name}' : too many arguments ('{args[spec.MaxArgs]}').");
            return;
        }
        if (negated || isDefault)
        {
            Options.Remove(name);
            OptionArgs.Remove(name);
            return;
        }
        if (!ValidateOptionArgs(l, name, args)) return;
        if (spec.Group != null)
        {
            foreach (var other in ProxyOptions.Table.Values.Where(o => o.Group == spec.Group))
            {
                Options.Remove(other.Name);
                OptionArgs.Remove(other.Name);
            }
        }
        Options.Add(name);
        if (args.Length > 0) OptionArgs[name] = args;
        if (spec.Group == ProxyOptions.LogGroup) P = P with { LogFormat = null }; // the last log format wins
        if (name == "httpchk") ApplyHttpChk(l, args);
    }

    private bool ValidateOptionArgs(ConfigLine l, string name, ImmutableArray<string> args)
    {
        var at = l.Location;
        switch (name)
        {
            case "forwardfor" or "originalto":
                for (int i = 0; i < args.Length; i++)
                {
                    switch (args[i])
                    {
                        case "if-none" when name == "forwardfor": break;
                        case "except" or "header":
                            if (i + 1 >= args.Length)
                            {
                                D.Alert(at, "option", $"'option {name}' '{args[i]}' requires an argument.");
                                return false;
                            }
                            if (args[i] == "except" && !Values.NetworkParser.IsNetwork(args[i + 1]))
                            {
                                D.Alert(at, "option", $"'option {name}' 'except' requires a network address, got '{args[i + 1]}'.");
                                return false;
                            }
                            i++;
                            break;
                        default:
                            D.Alert(at, "option", $"'option {name}' only supports optional values: 'except'{(name == "forwardfor" ? ", 'header' and 'if-none'" : " and 'header'")} (got '{args[i]}').");
                            return false;
                    }
                }
                return true;
            case "httplog":
                if (args.Length == 1 && args[0] != "clf")
                {
                    D.Alert(at, "option", $"'option httplog' only supports the optional argument 'clf' (got '{args[0]}').");
                    return false;
                }
                return true;
            case "redispatch":
                if (args.Length == 1 && !int.TryParse(args[0], out _))
                {
                    D.Alert(at, "option", $"'option redispatch' expects an integer interval (got '{args[0]}').");
                    return false;
                }
                return true;
            case "http-restrict-req-hdr-names":
                if (args.Length != 1 || args[0] is not ("preserve" or "delete" or "reject"))
                {
                    D.Alert(at, "option", "'option http-restrict-req-hdr-names' expects exactly one argument: 'preserve', 'delete' or 'reject'.");
                    return false;
                }
                return true;
            default:
                return true;
        }
    }
}
