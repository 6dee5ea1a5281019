using Akka.Configuration;

namespace Lb.Node;

/// <summary>
/// Builds the ActorSystem's HOCON, later layers winning: built-in defaults (a standalone node on
/// 127.0.0.1, port 0), then the cluster file, then the LB_CLUSTER_HOCON environment variable
/// (for per-container settings), then the command line (-d).
/// </summary>
public static class ClusterHocon
{
    public const string FileName = "cluster.hocon";
    public const string EnvironmentVariable = "LB_CLUSTER_HOCON";

    /// <summary>What a node needs when nobody configured anything.</summary>
    public const string Defaults =
        """
        akka {
          loglevel = INFO
          stdout-loglevel = WARNING
          log-dead-letters-during-shutdown = off
          actor.provider = cluster
          # Lb.Node handles SIGINT/SIGTERM itself and runs CoordinatedShutdown once.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          # A standalone node needs no fixed port: many may run side by side.
          remote.dot-netty.tcp {
            hostname = 127.0.0.1
            port = 0
          }
          cluster {
            seed-nodes = []
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver {
              active-strategy = keep-majority
              stable-after = 7s
            }
            failure-detector {
              heartbeat-interval = 1s
              acceptable-heartbeat-pause = 3s
            }
          }
        }
        """;

    /// <summary>
    /// The cluster file to use: --cluster if given, else cluster.hocon beside the first -f path
    /// (inside it when that path is a directory) if it exists, else none.
    /// </summary>
    public static string? Locate(CommandLine cl)
    {
        if (cl.ClusterFile is not null) return cl.ClusterFile;
        if (cl.ConfigPaths.IsEmpty) return null;
        var first = Path.GetFullPath(cl.ConfigPaths[0]);
        var dir = Directory.Exists(first) ? first : Path.GetDirectoryName(first);
        if (dir is null) return null;
        var candidate = Path.Combine(dir, FileName);
        return File.Exists(candidate) ? candidate : null;
    }

    /// <summary>Layers the sources. Throws <see cref="ClusterConfigException"/> on an unreadable or invalid file.</summary>
    public static Akka.Configuration.Config Build(string? clusterFile, bool debug, Func<string, string?> env)
    {
        var config = ConfigurationFactory.ParseString(Defaults);
        if (clusterFile is not null)
            config = Parse(Read(clusterFile), clusterFile).WithFallback(config);
        if (env(EnvironmentVariable) is { Length: > 0 } fromEnv)
            config = Parse(fromEnv, EnvironmentVariable).WithFallback(config);
        if (debug)
            config = ConfigurationFactory.ParseString("akka.loglevel = DEBUG").WithFallback(config);
        return config;
    }

    /// <summary>No seed nodes: the node forms a cluster of its own by joining itself.</summary>
    public static bool IsStandalone(Akka.Configuration.Config config) =>
        config.GetStringList("akka.cluster.seed-nodes", Array.Empty<string>()).Count == 0;

    private static string Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            throw new ClusterConfigException($"Cannot open cluster file {file} : No such file or directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClusterConfigException($"Cannot open cluster file {file} : {e.Message}");
        }
    }

    private static Akka.Configuration.Config Parse(string text, string source)
    {
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            throw new ClusterConfigException($"invalid HOCON in {source} : {e.Message}");
        }
    }
}

/// <summary>The cluster settings cannot be used; the message is ready to print.</summary>
public sealed class ClusterConfigException(string message) : Exception(message);
