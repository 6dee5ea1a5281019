using Lb.Node;
using Xunit;

namespace Lb.Tests.Node;

public class PidFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StringWriter _err = new();
    private NodeConsole Console => new(TextWriter.Null, _err, 42);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_CreatesParentDirAndFile_DisposeRemovesIt()
    {
        var path = _dir.Combine("run", "lb", "lb.pid");
        using (var pid = PidFile.Write(path, 4242, Console))
        {
            Assert.Equal(path, pid.Path);
            Assert.Equal("4242\n", File.ReadAllText(path));
        }
        Assert.False(File.Exists(path));
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public void Write_NoPath_DoesNothing()
    {
        using var pid = PidFile.Write(null, 1, Console);
        Assert.Null(pid.Path);
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public void Write_ParentIsAFile_WarnsAndCarriesOn()
    {
        var blocker = _dir.File("blocker", "x");
        var path = Path.Combine(blocker, "lb.pid");
        using var pid = PidFile.Write(path, 1, Console);
        Assert.Null(pid.Path);
        Assert.StartsWith($"[WARNING]  (42) : cannot create pidfile {path} : ", _err.ToString());
    }
}
