using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Lb.Tests.Node;

/// <summary>
/// Runs the built Lb.Node.dll (copied next to the test assembly by the project reference) as a
/// child process with captured output. Dispose kills it if it is still running.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "Lb.Node.dll");

    private NodeProcess(IEnumerable<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("LB_CLUSTER_HOCON");
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_out) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_err) _err.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static NodeProcess Start(string workingDirectory, params string[] args) => new(args, workingDirectory);

    /// <summary>Starts, waits for the exit (killing it after <paramref name="timeout"/>) and returns the result.</summary>
    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        using var p = Start(workingDirectory, args);
        var code = await p.WaitForExitAsync(timeout);
        return (code ?? throw new TimeoutException($"Lb.Node {string.Join(' ', args)} did not exit within {timeout}; output:\n{p.Output}"), p.StdOut, p.StdErr);
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string StdOut { get { lock (_out) return _out.ToString(); } }
    public string StdErr { get { lock (_err) return _err.ToString(); } }
    public string Output => $"--- stdout ---\n{StdOut}--- stderr ---\n{StdErr}";

    /// <summary>The exit code, or null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing early if the process exits.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Lb.Node exited with {_process.ExitCode} before {what}\n{Output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no {what} within {timeout}\n{Output}");
            await Task.Delay(50);
        }
    }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
