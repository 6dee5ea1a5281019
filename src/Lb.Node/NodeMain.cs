namespace Lb.Node;

/// <summary>The whole program except the last-resort catch: command line, config, hosting.</summary>
public static class NodeMain
{
    public const string DaemonIgnored = "'daemon' is ignored: Lb always runs in the foreground (use systemd or a container to detach).";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, NodeConsole console, Func<string, string?> env)
    {
        var cl = CommandLine.Parse(args);
        if (cl.Error is not null)
        {
            console.Alert(cl.Error);
            console.Err.WriteLine();
            console.Err.WriteLine(CommandLine.Usage);
            return 1;
        }
        if (cl.ShowHelp)
        {
            console.Out.WriteLine(CommandLine.Usage);
            return 0;
        }
        if (cl.ShowVersion)
        {
            console.Out.WriteLine(VersionInfo.Line);
            return 0;
        }
        if (cl.CheckOnly)
            return ConfigCheck.Run(cl.ConfigPaths, console, env);

        var config = ConfigCheck.Load(cl.ConfigPaths, console, out _, env);
        if (config is null)
            return 1;
        if (config.Global.Daemon)
            console.ConfigWarning(DaemonIgnored);

        Akka.Configuration.Config hocon;
        try
        {
            hocon = ClusterHocon.Build(ClusterHocon.Locate(cl), cl.Debug, env);
        }
        catch (ClusterConfigException e)
        {
            console.Alert($"cluster : {e.Message}");
            return 1;
        }

        // Signals first: a SIGTERM that arrives once the pidfile exists must reach the graceful path.
        // Said at once, before the shutdown (which logs through the actor system) begins.
        using var signal = new ShutdownSignal(s => console.Notice($"{s} received: stopping (leaving the cluster first)"));
        using var pidFile = PidFile.Write(cl.PidFile ?? config.Global.PidFile, console.Pid, console);
        return await NodeHost.RunAsync(config, hocon, signal.Received, console);
    }
}
