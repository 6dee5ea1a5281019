namespace Lb.Actors.Http;

public enum HeadParseStatus
{
    /// <summary>All bytes were taken; the head is not complete yet.</summary>
    NeedMore,
    /// <summary>The head is complete: take it with TakeRequest/TakeResponse; the bytes of the
    /// chunk after <see cref="HeadParseResult.Consumed"/> are body or the next message.</summary>
    Complete,
    /// <summary>Malformed or too large: answer <see cref="HeadParseResult.ErrorStatus"/>.</summary>
    Error,
}

/// <summary>Outcome of one <see cref="HttpHeadParser.Feed(ReadOnlySpan{byte})"/>.</summary>
public readonly record struct HeadParseResult(HeadParseStatus Status, int Consumed, int ErrorStatus = 0)
{
    public bool IsComplete => Status == HeadParseStatus.Complete;
    public bool IsError => Status == HeadParseStatus.Error;
}
