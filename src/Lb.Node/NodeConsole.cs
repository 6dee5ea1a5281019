using Lb.Config.Diagnostics;

namespace Lb.Node;

/// <summary>
/// Where the node's own messages go, in haproxy's line shape ("[ALERT]    (PID) : ..."):
/// results on <see cref="Out"/>, diagnostics on <see cref="Err"/>. Injected so tests can read them.
/// </summary>
public sealed class NodeConsole(TextWriter @out, TextWriter err, int pid)
{
    public static NodeConsole System => new(global::System.Console.Out, global::System.Console.Error, Environment.ProcessId);

    public TextWriter Out { get; } = @out;
    public TextWriter Err { get; } = err;
    public int Pid { get; } = pid;

    /// <summary>A config finding, exactly as <see cref="Diagnostic.Format"/> renders it.</summary>
    public void Report(Diagnostic d) => Err.WriteLine(d.Format(Pid));

    /// <summary>"[ALERT]    (PID) : config : message".</summary>
    public void ConfigAlert(string message) => Report(new Diagnostic(Severity.Alert, null, null, message));

    /// <summary>"[WARNING]  (PID) : config : message".</summary>
    public void ConfigWarning(string message) => Report(new Diagnostic(Severity.Warning, null, null, message));

    /// <summary>"[ALERT]    (PID) : message", for problems outside the configuration.</summary>
    public void Notice(string message) => Err.WriteLine($"[NOTICE]   ({Pid}) : {message}");

    public void Alert(string message) => Err.WriteLine($"[ALERT]    ({Pid}) : {message}");

    /// <summary>"[WARNING]  (PID) : message", for problems outside the configuration.</summary>
    public void Warning(string message) => Err.WriteLine($"[WARNING]  ({Pid}) : {message}");
}
