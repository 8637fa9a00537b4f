namespace NotesLsp.Server.Tests;

/// <summary>The start-up scan's batches grow with what was read (LanguageServer.ScanBatchFor) and cover every note once.</summary>
public sealed class ScanBatchTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(499)]
    [InlineData(500)]
    [InlineData(4001)]
    [InlineData(37_123)]
    [InlineData(100_000)]
    public void The_batches_cover_every_note_once_and_grow_within_bounds(int notes)
    {
        var covered = new bool[notes];
        var previous = 0;
        var batches = 0;

        // The batches the scan reads (ScanOnceAsync iterates exactly these).
        foreach (var (start, length) in LanguageServer.ScanBatches(notes))
        {
            var size = LanguageServer.ScanBatchFor(start);
            Assert.Equal(Math.Min(size, notes - start), length);
            Assert.InRange(size, LanguageServer.ScanBatchSize, LanguageServer.MaxScanBatchSize);
            Assert.True(size >= previous, "batches never shrink");
            previous = size;
            batches++;
            for (var i = start; i < start + length; i++)
            {
                Assert.False(covered[i]);
                covered[i] = true;
            }
        }

        Assert.All(covered, Assert.True);

        // Linear copying needs few batches: far fewer than one per 500 notes on a large workspace.
        Assert.True(notes < 10_000 || batches < notes / LanguageServer.ScanBatchSize / 2, $"{batches} batches for {notes} notes");
    }
}
