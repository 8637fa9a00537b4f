using System.Runtime.InteropServices;

namespace NotesLsp.Server;

/// <summary>
/// Threads for bulk work (reading and parsing thousands of notes) that must not slow down the answers to requests.
/// Requests run on the thread pool; on a 2-core laptop a start-up scan or a change storm that keeps both cores
/// busy made a completion wait 100-300 ms for CPU time (bench/RESULTS.md, "requests while the scan runs"). These
/// threads run at a lower scheduling priority (Linux: nice +10 for the thread alone; Windows: below normal), so the
/// scheduler gives a request's thread the core as soon as it is runnable, and the bulk work still gets every cycle
/// nothing else wants: an idle machine indexes as fast as before.
/// </summary>
internal static partial class BackgroundThreads
{
    /// <summary>The nice value of background threads on Linux (0 is normal, 19 the lowest priority).</summary>
    public const int Nice = 10;

    /// <summary>
    /// The thread pool's minimum: a request must never wait for the pool to grow (it adds a thread about every
    /// half second once its minimum, the core count, are all busy). Work that blocks a pool thread (a write to the
    /// persistent index, a wait for the scan's threads) is then not a reason for a completion to wait.
    /// </summary>
    public static void ReserveThreadPool()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Math.Max(workers, 4 * Environment.ProcessorCount + 4);
        ThreadPool.SetMinThreads(wanted, Math.Max(completionPorts, wanted));
    }

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="count"/> background-priority threads at once (each given its
    /// index, 0 to count - 1) and returns when all are done. The work catches its own failures.
    /// </summary>
    public static void RunAll(string name, int count, Action<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var threads = new List<Thread>(count);
        for (var t = 0; t < count; t++)
        {
            var index = t;
            threads.Add(Start(name, () => work(index)));
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    /// <summary>Starts a background-priority thread that runs <paramref name="work"/>.</summary>
    public static Thread Start(string name, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var thread = new Thread(() =>
        {
            LowerCurrentThreadPriority();
            work();
        })
        {
            IsBackground = true,
            Name = name,
        };
        if (OperatingSystem.IsWindows())
        {
            thread.Priority = ThreadPriority.BelowNormal;
        }

        thread.Start();
        return thread;
    }

    /// <summary>
    /// Lowers the calling thread's priority on Linux for good (an unprivileged Linux thread cannot raise it again), so
    /// it is called only on threads this class made; where the call is missing, the thread keeps normal priority.
    /// </summary>
    private static void LowerCurrentThreadPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // On Linux the "process" id of setpriority may be a thread id, and then only that thread changes.
            _ = Native.SetPriority(PrioProcess, Native.GetTid(), Nice);
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    /// <summary>The nice value of the calling thread on Linux (from /proc), or null elsewhere; for tests.</summary>
    internal static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // Field 19 of /proc/thread-self/stat; the command name (field 2, in parentheses) may hold spaces.
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private const int PrioProcess = 0;

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "gettid")]
        public static partial int GetTid();

        [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
        public static partial int SetPriority(int which, int who, int priority);
    }
}
