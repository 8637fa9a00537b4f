using NotesLsp.Analysis.FrontMatter;

namespace NotesLsp.Analysis.Tests.FrontMatter;

public class FrontMatterDatesTests
{
    [Theory]
    [InlineData("2024", "Year")]
    [InlineData("2024-07-10", "Date 2024-07-10")]
    [InlineData("2024-07-10 00:00:00 +0900", "DateTime 2024-07-10 00:00:00 +0900")]
    [InlineData("2024-07-10T09:30:00+09:00", "DateTime 2024-07-10T09:30:00+09:00")]
    [InlineData("2024-07-10 09:30", "DateTime 2024-07-10 09:30")]
    [InlineData("2024-7-1", "NonIso 2024-07-01")]
    [InlineData("2024-7-1 10:00:00", "NonIso 2024-07-01 10:00:00")]
    [InlineData("2024/07/10", "NonIso 2024-07-10")]
    [InlineData("2024.7.10", "NonIso 2024-07-10")]
    [InlineData("10 July 2024", "NonIso 2024-07-10")]
    [InlineData("10. Juli 2024", "NonIso 2024-07-10")]
    [InlineData("3. März 2024", "NonIso 2024-03-03")]
    [InlineData("2024年7月10日", "NonIso 2024-07-10")]
    [InlineData("2024年2月30日", "Impossible February 2024 has 29 days")]
    [InlineData("July 10, 2024", "NonIso 2024-07-10")]
    [InlineData("Sept 3rd, 2024", "NonIso 2024-09-03")]
    [InlineData("31/12/2024", "NonIso 2024-12-31")]
    [InlineData("12/31/2024", "NonIso 2024-12-31")]
    [InlineData("05/05/2024", "NonIso 2024-05-05")]
    [InlineData("07/10/2024", "NotADate day and month are ambiguous; write it as YYYY-MM-DD")]
    [InlineData("2024-02-29", "Date 2024-02-29")]
    [InlineData("2023-02-29", "Impossible February 2023 has 28 days")]
    [InlineData("2024-04-31", "Impossible April 2024 has 30 days")]
    [InlineData("2024-13-01", "Impossible there is no month 13")]
    [InlineData("30/02/2024", "Impossible February 2024 has 29 days")]
    [InlineData("2024-07-10 24:00", "Impossible there is no hour 24")]
    [InlineData("2024-07-10 10:60", "Impossible minutes and seconds go up to 59")]
    [InlineData("2024-07-10 10:00 +1500", "Impossible a time zone offset is at most 14 hours")]
    [InlineData("next Tuesday", "NotADate")]
    public void Dates_are_read_from_the_text(string raw, string expected)
    {
        var reading = FrontMatterDates.Read(raw);
        var rendered = reading.Shape.ToString()
            + (reading.Shape is DateShape.Date or DateShape.DateTime or DateShape.NonIso ? " " + reading.Iso : string.Empty)
            + (reading.Problem is null ? string.Empty : " " + reading.Problem);
        Assert.Equal(expected, rendered);
    }
}
