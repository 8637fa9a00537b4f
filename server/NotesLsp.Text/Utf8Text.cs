using System.Text;

namespace NotesLsp.Text;

/// <summary>How note files become text: UTF-8, a leading BOM dropped (as editors do), invalid bytes read as U+FFFD.</summary>
public static class Utf8Text
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>True when the bytes start with a UTF-8 byte order mark.</summary>
    public static bool HasBom(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Bom);

    /// <summary>The bytes without a leading byte order mark.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> bytes) => HasBom(bytes) ? bytes[Bom.Length..] : bytes;

    /// <summary>Decodes a file's bytes; never throws on invalid input.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(WithoutBom(bytes));
}
