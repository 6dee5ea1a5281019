namespace Lb.Node;

public static class Program
{
    /// <summary>No exception escapes: anything unexpected becomes an [ALERT] line and exit code 1.</summary>
    public static async Task<int> Main(string[] args)
    {
        RuntimeTuning.Apply(Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);
        var console = NodeConsole.System;
        try
        {
            return await NodeMain.RunAsync(args, console, Environment.GetEnvironmentVariable);
        }
        catch (Exception e)
        {
            console.Alert($"unexpected error, exiting : {e}");
            return 1;
        }
    }
}
