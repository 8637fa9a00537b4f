namespace NotesLsp.Papers;

/// <summary>Why an operation on papers failed; the message says it in words.</summary>
public enum PaperErrorKind
{
    /// <summary>OpenReview answered with its browser check or <c>ChallengeRequiredError</c>: a token is needed.</summary>
    LoginRequired,
    NotFound,
    RateLimited,
    Timeout,
    ServerError,

    /// <summary>The answer was not the JSON we expect (broken, cut short, wrong shape).</summary>
    Malformed,
    Network,
    Cancelled,
    Offline,
    Io,
    Invalid,
}

/// <summary>A failure a person can read.</summary>
public sealed record PaperError(PaperErrorKind Kind, string Message);

/// <summary>Success with a value, or failure with a <see cref="PaperError"/>. Never thrown.</summary>
public sealed record PaperResult<T>(T? Value, PaperError? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>Makes <see cref="PaperResult{T}"/> values.</summary>
public static class PaperResult
{
    public static PaperResult<T> Ok<T>(T value) => new(value, null);

    public static PaperResult<T> Fail<T>(PaperError error) => new(default, error);

    public static PaperResult<T> Fail<T>(PaperErrorKind kind, string message) => new(default, new PaperError(kind, message));
}
