using System.Collections.Immutable;

namespace Lb.Node;

/// <summary>What the command line asked for. Parsing never throws: a bad line gives <see cref="Error"/>.</summary>
public sealed record CommandLine
{
    public ImmutableArray<string> ConfigPaths { get; init; } = ImmutableArray<string>.Empty;
    public bool CheckOnly { get; init; }
    public bool ShowVersion { get; init; }
    public bool ShowHelp { get; init; }
    public bool Debug { get; init; }
    public string? ClusterFile { get; init; }

    /// <summary>-p: the pidfile to write; wins over the global section's 'pidfile'.</summary>
    public string? PidFile { get; init; }

    /// <summary>Set when the arguments are unusable; the caller prints it with the usage text and exits 1.</summary>
    public string? Error { get; init; }

    public const string Usage =
        """
        Usage : Lb.Node -f <cfgfile|cfgdir> [-f ...]* [ -c ] [ -d | -db ] [ -p <pidfile> ]
                        [ --cluster <file> ] [-- <cfgfile>*]
                Lb.Node -v | -h
                -f <path>  loads a haproxy.cfg file, or every *.cfg of a directory in name order;
                           repeat it to load several (at least one is required)
                -c         check mode: print every diagnostic, then 'Configuration file is valid'
                           and exit 0, or exit 1 when there are fatal errors
                -d         debug mode: stays in the foreground with Akka log level DEBUG
                -db        stays in the foreground (always the case: accepted for haproxy compatibility)
                -p <file>  writes the process id to <file> and removes it on exit (overrides the
                           global 'pidfile'); a file that cannot be written is only a warning
                --cluster <file>
                           cluster settings (HOCON); default: cluster.hocon beside the first -f
                           file (inside it for a directory) if it exists, else a standalone
                           node on 127.0.0.1, port 0
                -v         prints the version and exits
                -h, --help prints this text and exits
                SIGINT or SIGTERM stops accepting, lets sessions finish (up to the global
                'hard-stop-after', default 5 s), leaves the cluster, removes the pidfile
                and exits 0. A bind that fails (address in use) exits 1.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        var paths = ImmutableArray.CreateBuilder<string>();
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-f":
                    if (i + 1 >= args.Count) return Fail("option '-f' expects a configuration file or directory");
                    paths.Add(args[++i]);
                    break;
                case "-p":
                    if (i + 1 >= args.Count) return Fail("option '-p' expects a pidfile path");
                    result = result with { PidFile = args[++i] };
                    break;
                case "--cluster":
                    if (i + 1 >= args.Count) return Fail("option '--cluster' expects a HOCON file");
                    result = result with { ClusterFile = args[++i] };
                    break;
                case "-c": result = result with { CheckOnly = true }; break;
                case "-v": result = result with { ShowVersion = true }; break;
                case "-d": result = result with { Debug = true }; break;
                case "-db": break; // foreground: Lb never leaves it
                case "-h" or "--help": result = result with { ShowHelp = true }; break;
                case "--":
                    paths.AddRange(args.Skip(i + 1));
                    i = args.Count;
                    break;
                default:
                    return Fail(arg.StartsWith('-') ? $"unknown option '{arg}'" : $"unexpected argument '{arg}' (configuration files go after -f or --)");
            }
        }
        result = result with { ConfigPaths = paths.ToImmutable() };
        if (!result.ShowHelp && !result.ShowVersion && result.ConfigPaths.IsEmpty)
            return Fail("No configuration file specified: use -f <cfgfile|cfgdir>");
        return result;
    }

    private static CommandLine Fail(string message) => new() { Error = message };
}
