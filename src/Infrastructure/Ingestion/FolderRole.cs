namespace SlaWatch.Infrastructure.Ingestion;

/// <summary>What a watched folder holds.</summary>
public enum FolderRole
{
    /// <summary>Customers' mail: complaints, follow-ups, machine mail.</summary>
    Inbound,

    /// <summary>What staff sent: a reply threaded to a complaint is its first response.</summary>
    Sent,
}
