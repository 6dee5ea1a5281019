using System.Globalization;
using Akka.Actor;
using Akka.Cluster;

namespace Lb.Actors.Stats.Prometheus;

/// <summary>
/// Lb's own metrics, under the lb_ prefix so that they never mix with haproxy's names: the Akka
/// cluster as this node sees it and the .NET runtime. Everything is read at scrape time from
/// state that is already kept (the cluster's read view, the GC and thread-pool counters): nothing
/// is counted on the data path for them, and no actor is asked.
/// </summary>
public static class LbMetrics
{
    private static readonly MemberStatus[] Statuses = Enum.GetValues<MemberStatus>();
    private static readonly byte[][] StatusLabels = Statuses.Select(st => PromWriter.Labels(("status", SnakeCase(st)))).ToArray();

    private static readonly PromSeries Members = new("lb_cluster_members", PromType.Gauge,
        "Members of the Akka cluster this node knows, per member status (unreachable ones included)");
    private static readonly PromSeries Unreachable = new("lb_cluster_unreachable_members", PromType.Gauge,
        "Members this node's failure detector currently marks unreachable");
    private static readonly PromSeries Leader = new("lb_cluster_is_leader", PromType.Gauge,
        "1 if this node is the cluster leader, otherwise zero");
    private static readonly PromSeries SelfStatus = new("lb_cluster_self_status", PromType.Gauge,
        "This node's own member status, per status label value (all zero before it has joined)");
    private static readonly PromSeries Heap = new("lb_dotnet_gc_heap_bytes", PromType.Gauge,
        "Bytes currently thought to be allocated on the .NET managed heap");
    private static readonly PromSeries Allocated = new("lb_dotnet_gc_allocated_bytes_total", PromType.Counter,
        "Bytes allocated on the .NET managed heap since the process started");
    private static readonly PromSeries Collections = new("lb_dotnet_gc_collections_total", PromType.Counter,
        "Garbage collections since the process started, per generation");
    private static readonly PromSeries Threads = new("lb_dotnet_threadpool_threads", PromType.Gauge,
        "Threads of the .NET thread pool");
    private static readonly PromSeries Queue = new("lb_dotnet_threadpool_queue_length", PromType.Gauge,
        "Work items waiting in the .NET thread pool's queues");
    private static readonly PromSeries Cpu = new("lb_process_cpu_seconds_total", PromType.Counter,
        "CPU time (user and system) used by the process, in seconds");

    private static readonly byte[][] Generations = [PromWriter.Labels(("generation", "0")), PromWriter.Labels(("generation", "1")), PromWriter.Labels(("generation", "2"))];

    internal static void Write(PromWriter w, NodeStats node)
    {
        if (node.System is ExtendedActorSystem { Provider: ClusterActorRefProvider } system) WriteCluster(w, Cluster.Get(system));
        WriteRuntime(w);
    }

    private static void WriteCluster(PromWriter w, Cluster cluster)
    {
        var state = cluster.State; // the read view's last snapshot: a field read, no message
        Span<int> count = stackalloc int[Statuses.Length];
        MemberStatus? self = null;
        foreach (var m in state.Members)
        {
            count[Array.IndexOf(Statuses, m.Status)]++;
            if (m.Address.Equals(cluster.SelfAddress)) self = m.Status;
        }
        for (int i = 0; i < Statuses.Length; i++)
        {
            w.Start(Members, StatusLabels[i]);
            w.Value();
            w.Number(count[i]);
        }
        w.StartBare(Unreachable);
        w.Number(state.Unreachable.Count);
        w.StartBare(Leader);
        w.Number(state.Leader is { } leader && leader.Equals(cluster.SelfAddress) ? 1 : 0);
        for (int i = 0; i < Statuses.Length; i++)
        {
            w.Start(SelfStatus, StatusLabels[i]);
            w.Value();
            w.Number(self == Statuses[i] ? 1 : 0);
        }
    }

    private static void WriteRuntime(PromWriter w)
    {
        w.StartBare(Heap);
        w.Number(GC.GetTotalMemory(false));
        w.StartBare(Allocated);
        w.Number(GC.GetTotalAllocatedBytes(false));
        for (int g = 0; g < Generations.Length; g++)
        {
            w.Start(Collections, Generations[g]);
            w.Value();
            w.Number(GC.CollectionCount(g));
        }
        w.StartBare(Threads);
        w.Number(ThreadPool.ThreadCount);
        w.StartBare(Queue);
        w.Number(ThreadPool.PendingWorkItemCount);
        w.StartBare(Cpu);
        w.Text.Ascii(Environment.CpuUsage.TotalTime.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        w.End();
    }

    /// <summary>WeaklyUp → weakly_up.</summary>
    private static string SnakeCase(MemberStatus s)
    {
        var name = s.ToString();
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
