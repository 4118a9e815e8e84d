namespace SlaWatch.Domain.Complaints;

public enum ComplaintStatus
{
    /// <summary>Waiting for the first response of a person.</summary>
    Open,

    /// <summary>A person answered; the first-response clock stopped.</summary>
    Responded,

    Resolved,
}
