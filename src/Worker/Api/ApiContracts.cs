using System.ComponentModel;

namespace SlaWatch.Worker.Api;

/// <summary>A response made outside the mailbox (a phone call, a chat): it stops the first-response clock.</summary>
public sealed record RecordResponseRequest(
    [property: Description("How the customer was answered: phone, chat, email, sms, video, in-person, social or other.")] string? Channel,
    [property: Description("What was said or agreed (optional, at most 2000 characters).")] string? Note);

/// <summary>Sets or moves the promised resolution date; the customer is told the date with its margin.</summary>
public sealed record SetPromiseRequest(
    [property: Description("When the complaint will be resolved at the latest: ISO 8601 with an offset, e.g. 2026-12-04T17:00:00+01:00 or 2026-12-04T16:00:00Z.")] string? DueAt,
    [property: Description("Why the date is set or moved (optional, at most 500 characters).")] string? Reason,
    [property: Description("The margin in whole days before dueAt (optional, 0 to 30): with 1, a date four days away is told as \"normally within 3 to 4 days\".")] int? MarginDays = null);

/// <summary>A progress note: always recorded in the complaint's log; with sendToCustomer, also sent to the customer.</summary>
public sealed record AddNoteRequest(
    [property: Description("The note, plain text (at most 2000 characters; a message to the customer carries at most 1500).")] string? Text,
    [property: Description("True to send the note to the customer as an update; false (the default) to keep it internal.")] bool SendToCustomer = false);

/// <summary>Marks the complaint resolved.</summary>
public sealed record ResolveRequest(
    [property: Description("How it was resolved (optional, at most 2000 characters).")] string? Note);

/// <summary>What a command did: <c>done</c>, or <c>alreadyDone</c> when it was already so (a repeated call is not an error).</summary>
public sealed record ComplaintCommandResponse(string Reference, string Outcome, string? Message);

/// <summary>What acknowledging an alert did: <c>done</c> or <c>alreadyDone</c>.</summary>
public sealed record AlertCommandResponse(long AlertId, string Outcome, string? Message);
