using System.Globalization;
using System.Text.RegularExpressions;

namespace NotesLsp.Analysis.FrontMatter;

/// <summary>What a date-like value turned out to be.</summary>
public enum DateShape
{
    /// <summary>Four digits.</summary>
    Year,

    /// <summary>ISO <c>YYYY-MM-DD</c>.</summary>
    Date,

    /// <summary>ISO date with a time (and maybe an offset).</summary>
    DateTime,

    /// <summary>A real date written another way (<c>2024/07/10</c>, <c>July 10, 2024</c>); <see cref="DateReading.Iso"/> says it in ISO.</summary>
    NonIso,

    /// <summary>Written like a date, but the day, month or time cannot exist (<c>2024-02-30</c>).</summary>
    Impossible,

    /// <summary>Not a date at all, or an ambiguous one (<c>07/10/2024</c>).</summary>
    NotADate,
}

/// <summary>The reading of a date value's raw text.</summary>
/// <param name="Iso">The same date in ISO form, when it is unambiguous.</param>
/// <param name="Problem">For impossible and non-dates, why.</param>
public sealed record DateReading(DateShape Shape, string? Iso = null, string? Problem = null);

/// <summary>
/// Dates are checked from the text the user wrote, not from a YAML parser's type (parsers disagree: YAML 1.1
/// makes <c>2024-07-10</c> a timestamp, YAML 1.2 a string, and <c>2024-07-10 00:00:00 +0900</c> is a string to
/// some and an error to others).
/// </summary>
public static partial class FrontMatterDates
{
    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    // The users write German and Japanese notes too ("10. Juli 2024", "2024年7月10日").
    private static readonly string[] GermanMonthNames =
        ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"];

    public static DateReading Read(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.Trim();
        if (YearPattern().IsMatch(text))
        {
            return new DateReading(DateShape.Year);
        }

        var iso = IsoPattern().Match(text);
        if (iso.Success)
        {
            var year = Number(iso, "y");
            var month = Number(iso, "m");
            var day = Number(iso, "d");
            if (CheckDay(year, month, day) is { } dayProblem)
            {
                return new DateReading(DateShape.Impossible, Problem: dayProblem);
            }

            var hasTime = iso.Groups["H"].Success;
            if (hasTime && CheckTime(iso) is { } timeProblem)
            {
                return new DateReading(DateShape.Impossible, Problem: timeProblem);
            }

            var isoDate = Format(year, month, day);
            if (iso.Groups["m"].Length != 2 || iso.Groups["d"].Length != 2)
            {
                var rest = hasTime ? text[(iso.Groups["d"].Index + iso.Groups["d"].Length)..] : string.Empty;
                return new DateReading(DateShape.NonIso, isoDate + rest);
            }

            return new DateReading(hasTime ? DateShape.DateTime : DateShape.Date, text);
        }

        return ReadOtherForms(text);
    }

    /// <summary>Today in ISO form, for completion and templates (the caller passes the date: no clock in analysis).</summary>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateReading ReadOtherForms(string text)
    {
        var japanese = JapanesePattern().Match(text);
        if (japanese.Success)
        {
            return FromParts(Number(japanese, "y"), Number(japanese, "m"), Number(japanese, "d"));
        }

        var slashed = YearFirstPattern().Match(text);
        if (slashed.Success)
        {
            return FromParts(Number(slashed, "y"), Number(slashed, "m"), Number(slashed, "d"));
        }

        var dayMonthYear = NamedMonthDayFirstPattern().Match(text);
        if (dayMonthYear.Success && MonthOf(dayMonthYear.Groups["month"].Value) is { } month1)
        {
            return FromParts(Number(dayMonthYear, "y"), month1, Number(dayMonthYear, "d"));
        }

        var monthDayYear = NamedMonthFirstPattern().Match(text);
        if (monthDayYear.Success && MonthOf(monthDayYear.Groups["month"].Value) is { } month2)
        {
            return FromParts(Number(monthDayYear, "y"), month2, Number(monthDayYear, "d"));
        }

        var yearLast = YearLastPattern().Match(text);
        if (yearLast.Success)
        {
            var first = Number(yearLast, "a");
            var second = Number(yearLast, "b");
            var year = Number(yearLast, "y");

            // 10/07/2024 is July in Europe and October in the US; only a part above 12 (or two equal parts) says which.
            if (first > 12 && second <= 12)
            {
                return FromParts(year, second, first);
            }

            if (second > 12 && first <= 12)
            {
                return FromParts(year, first, second);
            }

            if (first == second)
            {
                return FromParts(year, first, second);
            }

            return new DateReading(DateShape.NotADate, Problem: "day and month are ambiguous; write it as YYYY-MM-DD");
        }

        return new DateReading(DateShape.NotADate);
    }

    private static DateReading FromParts(int year, int month, int day) =>
        CheckDay(year, month, day) is { } problem
            ? new DateReading(DateShape.Impossible, Problem: problem)
            : new DateReading(DateShape.NonIso, Format(year, month, day));

    private static string? CheckDay(int year, int month, int day)
    {
        if (month is < 1 or > 12)
        {
            return $"there is no month {month}";
        }

        if (year < 1)
        {
            return "there is no year 0";
        }

        var days = DateTime.DaysInMonth(year, month);
        if (day < 1 || day > days)
        {
            var monthName = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);
            return $"{monthName} {year} has {days} days";
        }

        return null;
    }

    private static string? CheckTime(Match match)
    {
        var hour = Number(match, "H");
        var minute = Number(match, "M");
        var second = match.Groups["S"].Success ? Number(match, "S") : 0;
        if (hour > 23)
        {
            return $"there is no hour {hour}";
        }

        if (minute > 59 || second > 60)
        {
            return "minutes and seconds go up to 59";
        }

        if (match.Groups["zh"].Success && Number(match, "zh") > 14)
        {
            return "a time zone offset is at most 14 hours";
        }

        return null;
    }

    private static int? MonthOf(string name)
    {
        var lower = name.ToLowerInvariant().TrimEnd('.');
        if (lower.Length < 3)
        {
            return null;
        }

        for (var i = 0; i < MonthNames.Length; i++)
        {
            if (MonthNames[i].StartsWith(lower, StringComparison.Ordinal) || GermanMonthNames[i].StartsWith(lower, StringComparison.Ordinal)
                || (lower == "sept" && i == 8) || (lower == "maerz" && i == 2))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static int Number(Match match, string group) =>
        int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Format(int year, int month, int day) =>
        string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}");

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?:(?:[Tt]|[ \t]+)(?<H>\d{1,2}):(?<M>\d{2})(?::(?<S>\d{2})(?:\.\d+)?)?(?:[ \t]*(?:Z|z|[+-](?<zh>\d{2})(?::?\d{2})?))?)?$")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^(?<y>\d{4})[/.](?<m>\d{1,2})[/.](?<d>\d{1,2})$")]
    private static partial Regex YearFirstPattern();

    [GeneratedRegex(@"^(?<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?<month>[A-Za-zäÄ]+\.?),?\s+(?<y>\d{4})$")]
    private static partial Regex NamedMonthDayFirstPattern();

    [GeneratedRegex(@"^(?<month>[A-Za-zäÄ]+\.?)\s+(?<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<y>\d{4})$")]
    private static partial Regex NamedMonthFirstPattern();

    [GeneratedRegex(@"^(?<y>\d{4})\s*年\s*(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*日$")]
    private static partial Regex JapanesePattern();

    [GeneratedRegex(@"^(?<a>\d{1,2})[/.](?<b>\d{1,2})[/.](?<y>\d{4})$")]
    private static partial Regex YearLastPattern();
}
