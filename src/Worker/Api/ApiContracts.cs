using System.ComponentModel;

namespace SlaWatch.Worker.Api;

/// <summary>A response made outside the mailbox (a phone call, a chat): it stops the first-response clock.</summary>
public sealed record RecordResponseRequest(
    [property: Description("How the customer was answered: phone, chat, email, sms, video, in-person, social or other.")] string? Channel,
    [property: Description("What was said or agreed (optional, at most 2000 characters).")] string? Note);

/// <summary>Sets or moves the promised resolution date.</summary>
public sealed record SetPromiseRequest(
    [property: Description("When the complaint will be resolved: ISO 8601 with an offset, e.g. 2026-12-04T17:00:00+01:00 or 2026-12-04T16:00:00Z.")] string? DueAt,
    [property: Description("Why the date is set or moved (optional, at most 500 characters).")] string? Reason);

/// <summary>Marks the complaint resolved.</summary>
public sealed record ResolveRequest(
    [property: Description("How it was resolved (optional, at most 2000 characters).")] string? Note);

/// <summary>What a command did: <c>done</c>, or <c>alreadyDone</c> when it was already so (a repeated call is not an error).</summary>
public sealed record ComplaintCommandResponse(string Reference, string Outcome, string? Message);

/// <summary>What acknowledging an alert did: <c>done</c> or <c>alreadyDone</c>.</summary>
public sealed record AlertCommandResponse(long AlertId, string Outcome, string? Message);
