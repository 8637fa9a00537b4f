using System.Collections.Concurrent;
using NotesLsp.Analysis;

namespace NotesLsp.Server.Tests;

/// <summary>Bulk reading runs below the priority of requests, and never on the thread pool that serves them.</summary>
public class BackgroundThreadsTests
{
    [Fact]
    public void A_background_thread_runs_at_lower_priority_and_the_thread_that_started_it_does_not()
    {
        var before = BackgroundThreads.CurrentThreadNice();
        int? inside = null;
        var isPoolThread = true;
        var thread = BackgroundThreads.Start("test", () =>
        {
            inside = BackgroundThreads.CurrentThreadNice();
            isPoolThread = Thread.CurrentThread.IsThreadPoolThread;
        });
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));

        Assert.False(isPoolThread);
        Assert.Equal(before, BackgroundThreads.CurrentThreadNice());
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(Math.Min(19, before!.Value + BackgroundThreads.Nice), inside);
        }
    }

    [Fact]
    public void The_scan_reads_many_notes_on_background_threads_and_a_few_on_the_calling_thread()
    {
        var folder = Directory.CreateTempSubdirectory("notes-lsp-test-").FullName;
        try
        {
            for (var i = 0; i < 40; i++)
            {
                File.WriteAllText(Path.Combine(folder, $"n{i}.md"), $"---\ntitle: Note {i}\ntags: [t{i % 3}]\n---\n# Heading {i}\n");
            }

            var scanner = new WorkspaceScanner(new ServerLog(new StringWriter()));
            var paths = scanner.FindNotes([folder], [], CancellationToken.None);
            var caller = Environment.CurrentManagedThreadId;
            var callerNice = BackgroundThreads.CurrentThreadNice();

            var many = new ConcurrentBag<(int Thread, bool Pool, int? Nice)>();
            var notes = scanner.ReadNotes(paths, NotesSettings.Default.Tags.Keys, null, CancellationToken.None, previous: _ =>
            {
                many.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread, BackgroundThreads.CurrentThreadNice()));
                return null;
            });
            Assert.Equal(40, notes.Count);
            Assert.Equal(40, many.Count);
            Assert.All(many, read =>
            {
                Assert.NotEqual(caller, read.Thread);
                Assert.False(read.Pool);
                if (OperatingSystem.IsLinux())
                {
                    Assert.Equal(Math.Min(19, callerNice!.Value + BackgroundThreads.Nice), read.Nice);
                }
            });

            var few = new ConcurrentBag<int>();
            var fewNotes = scanner.ReadNotes([.. paths.Take(WorkspaceScanner.InlineReadLimit)], NotesSettings.Default.Tags.Keys, null, CancellationToken.None, previous: _ =>
            {
                few.Add(Environment.CurrentManagedThreadId);
                return null;
            });
            Assert.Equal(WorkspaceScanner.InlineReadLimit, fewNotes.Count);
            Assert.All(few, thread => Assert.Equal(caller, thread));
            Assert.Equal(callerNice, BackgroundThreads.CurrentThreadNice());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_server_reserves_thread_pool_threads_so_a_blocked_pool_thread_does_not_delay_a_request()
    {
        BackgroundThreads.ReserveThreadPool();
        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= (4 * Environment.ProcessorCount) + 4, $"min worker threads {workers}");
    }
}
