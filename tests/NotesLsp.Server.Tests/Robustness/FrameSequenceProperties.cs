using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NotesLsp.LspDriver;

namespace NotesLsp.Server.Tests.Robustness;

/// <summary>
/// Random sequences of frames, valid requests mixed with broken frames of every kind a broken client produces,
/// written back to back in one write: every valid request is answered with its result, and no answer goes to an
/// id that was not asked. The replay seed is fixed so a failure replays exactly; FsCheck shrinks it to the
/// shortest sequence that fails.
/// </summary>
public class FrameSequenceProperties
{
    /// <summary>One frame of a sequence: a valid workspace/symbol request, or a broken frame of <see cref="Kind"/>.</summary>
    public sealed record FrameSpec(bool Valid, BrokenKind Kind, int A, int B)
    {
        public override string ToString() => Valid ? "valid request" : $"{Kind}({A},{B})";
    }

    public enum BrokenKind
    {
        NegativeLength,
        NotANumber,
        MaxIntLength,
        HugeLength,
        TooLong,
        TooShort,
        MissingLength,
        NoHeaderAtAll,
        HeaderLineOnly,
        HeaderWithoutBody,
        Garbage,
        CutBody,
        MutatedBody,
        Utf16CountedLength,
        OverlongGarbageLine,
        HeaderInsideGarbage,
        EmptyLength,
    }

    private static readonly Gen<FrameSpec> Frame =
        from valid in Gen.Frequency((2, Gen.Constant(true)), (3, Gen.Constant(false)))
        from kind in Gen.Elements(Enum.GetValues<BrokenKind>())
        from a in Gen.Choose(0, 100_000)
        from b in Gen.Choose(0, 100_000)
        select new FrameSpec(valid, kind, a, b);

    private static readonly Gen<FrameSpec[]> Sequence =
        from count in Gen.Choose(1, 10)
        from frames in Frame.ArrayOf(count)
        select frames;

    [Property(MaxTest = 40, Replay = "(20261201,17)")]
    public Property Every_valid_request_after_broken_frames_is_answered() =>
        Prop.ForAll(Sequence.ToArbitrary(), frames => Task.Run(() => RunAsync(frames)).GetAwaiter().GetResult());

    private static async Task<bool> RunAsync(FrameSpec[] frames)
    {
        await using var harness = new ServerHarness();
        await harness.InitializeAsync();
        var answers = new List<Task<JsonNode?>>();
        var bytes = new List<byte>();
        foreach (var frame in frames)
        {
            if (frame.Valid)
            {
                var (id, answer) = harness.Client.ReserveRequest();
                answers.Add(answer);
                bytes.AddRange(LspClient.Frame($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"workspace/symbol\",\"params\":{{\"query\":\"\"}}}}"));
            }
            else
            {
                bytes.AddRange(Broken(frame));
            }
        }

        // A last valid request, so that every sequence ends with something to answer after its broken frames.
        var (lastId, last) = harness.Client.ReserveRequest();
        answers.Add(last);
        bytes.AddRange(LspClient.Frame($"{{\"jsonrpc\":\"2.0\",\"id\":{lastId},\"method\":\"workspace/symbol\",\"params\":{{\"query\":\"\"}}}}"));
        await harness.Client.WriteRawAsync([.. bytes]);
        foreach (var answer in answers)
        {
            Assert.IsType<JsonArray>(await answer.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Null(harness.Client.ProtocolViolation);
        return true;
    }

    /// <summary>A notification without an id, so that whatever becomes of it no answer is due.</summary>
    private static byte[] Body(FrameSpec frame) =>
        Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"$/setTrace\",\"params\":{{\"value\":\"off\",\"pad\":\"{new string('x', frame.A % 50)}{(frame.B % 2 == 0 ? "日本語の😀" : "")}\"}}}}");

    private static byte[] Broken(FrameSpec frame)
    {
        var body = Body(frame);
        var random = new Random(frame.B);
        byte[] Header(string value) => Encoding.ASCII.GetBytes($"Content-Length: {value}\r\n\r\n");
        return frame.Kind switch
        {
            BrokenKind.NegativeLength => [.. Header($"-{1 + (frame.A % 100)}"), .. body],
            BrokenKind.NotANumber => [.. Header(new[] { "abc", "12abc", "0x10", "1e3", " ", "+5" }[frame.A % 6]), .. body],
            BrokenKind.MaxIntLength => [.. Header("2147483647"), .. body],
            BrokenKind.HugeLength => [.. Header("99999999999"), .. body],
            BrokenKind.TooLong => [.. Header((body.Length + 1 + (frame.A % 1000)).ToString(System.Globalization.CultureInfo.InvariantCulture)), .. body],
            BrokenKind.TooShort => [.. Header((frame.A % body.Length).ToString(System.Globalization.CultureInfo.InvariantCulture)), .. body],
            BrokenKind.MissingLength => [.. "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"u8, .. body],
            BrokenKind.NoHeaderAtAll => body,
            BrokenKind.HeaderLineOnly => Encoding.ASCII.GetBytes($"Content-Length: {frame.A % 200}\r\n"),
            BrokenKind.HeaderWithoutBody => Header((frame.A % 200).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            BrokenKind.Garbage => RandomBytes(random, frame.A % 300),
            BrokenKind.CutBody => [.. Header(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. body.AsSpan(0, frame.A % body.Length)],
            BrokenKind.MutatedBody => [.. Header(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. Mutate(random, body)],
            BrokenKind.Utf16CountedLength => [.. Header(Encoding.UTF8.GetString(body).Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. body],
            BrokenKind.OverlongGarbageLine => Encoding.ASCII.GetBytes(new string('g', 9_000 + (frame.A % 5_000))),
            BrokenKind.HeaderInsideGarbage => [.. "stray output "u8, .. Header((frame.A % body.Length).ToString(System.Globalization.CultureInfo.InvariantCulture)), .. body],
            _ => [.. "Content-Length:\r\n\r\n"u8, .. body],
        };
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] body)
    {
        var bytes = (byte[])body.Clone();
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            bytes[random.Next(bytes.Length)] = "{}[]\":,\\\0\r\nC"u8[random.Next(13)];
        }

        return bytes;
    }
}
