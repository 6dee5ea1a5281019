namespace Lb.Node;

/// <summary>
/// The 'pidfile' of the global section: written at start, removed on exit. Failing to write it
/// is a warning, not a reason to stop serving.
/// </summary>
public sealed class PidFile : IDisposable
{
    private readonly string? _path;

    private PidFile(string? path) => _path = path;

    /// <summary>The file actually written, or null when none was asked for or writing failed.</summary>
    public string? Path => _path;

    public static PidFile Write(string? path, int pid, NodeConsole console)
    {
        if (string.IsNullOrEmpty(path))
            return new PidFile(null);
        try
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            // Written aside and renamed, so a reader never sees an empty file.
            var temp = path + ".tmp";
            File.WriteAllText(temp, $"{pid}\n");
            File.Move(temp, path, overwrite: true);
            return new PidFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            console.Warning($"cannot create pidfile {path} : {e.Message}");
            return new PidFile(null);
        }
    }

    public void Dispose()
    {
        if (_path is null) return;
        try
        {
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing useful to do at exit: the next start overwrites it.
        }
    }
}
