namespace Lb.Tests.Support;

/// <summary>Locates the repository root (the folder holding Lb.sln) and ../shared beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SeedConfigs => Path.Combine(Shared, "seed-configs");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Lb.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Lb.sln not found above " + AppContext.BaseDirectory);
    }
}
