using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SlaWatch.Infrastructure.Complaints;

namespace SlaWatch.Worker.Api;

/// <summary><c>/api/complaints/{reference}/…</c>: what agents (and supervisors) do to a complaint.</summary>
public static partial class ComplaintEndpoints
{
    private const int MaxNoteLength = ComplaintCommands.MaxNoteLength;
    private const int MaxReasonLength = 500;
    private const int MaxMarginDays = 30;

    /// <summary>Where a person can answer a customer outside the mailbox; the event log keeps the canonical spelling.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["phone", "chat", "email", "sms", "video", "in-person", "social", "other"];

    internal static RouteGroupBuilder MapComplaintEndpoints(this RouteGroupBuilder api)
    {
        var complaint = api.MapGroup("/complaints/{reference}")
            .WithTags("Complaints")
            .RequireAuthorization(ApiPolicies.Agent);

        complaint.MapPost("/responses", RecordResponseAsync)
            .WithName("RecordResponse")
            .WithSummary("Record a response made outside the mailbox (a phone call counts): the first one stops the first-response clock; any later one is logged and restarts the quiet period before a \"still on it\" update.")
            .Accepts<RecordResponseRequest>("application/json")
            .Produces<ComplaintCommandResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        complaint.MapPut("/promise", SetPromiseAsync)
            .WithName("SetPromise")
            .WithSummary("Set or move the promised resolution date (optionally with a margin in days); the customer is told, a moved promise with an apology, and its warnings re-arm.")
            .Accepts<SetPromiseRequest>("application/json")
            .Produces<ComplaintCommandResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        complaint.MapPost("/notes", AddNoteAsync)
            .WithName("AddNote")
            .WithSummary("Add a progress note to the complaint's log; with sendToCustomer, the customer gets it as an update.")
            .Accepts<AddNoteRequest>("application/json")
            .Produces<ComplaintCommandResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        complaint.MapPost("/resolve", ResolveAsync)
            .WithName("Resolve")
            .WithSummary("Mark the complaint resolved: every clock stops and the customer is thanked.")
            .Produces<ComplaintCommandResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<IResult> RecordResponseAsync(
        string reference,
        RecordResponseRequest? request,
        ClaimsPrincipal user,
        [FromServices] IComplaintCommands commands,
        CancellationToken cancellationToken)
    {
        if (!TryNormalizeReference(reference, out var normalized))
        {
            return NotAReference(reference);
        }

        // No body at all reads as every field missing, so the answer names what is required.
        request ??= new RecordResponseRequest(null, null);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var channel = Channels.FirstOrDefault(c => string.Equals(c, request.Channel?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (channel is null)
        {
            errors["channel"] = [string.IsNullOrWhiteSpace(request.Channel)
                ? $"channel is required: one of {string.Join(", ", Channels)}."
                : $"'{request.Channel}' is not a channel; use one of {string.Join(", ", Channels)}."];
        }

        CheckLength(errors, "note", request.Note, MaxNoteLength);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var result = await commands.RecordResponseAsync(normalized, ApiResults.Actor(user), channel!, Blank(request.Note), cancellationToken);
        return ToResult(normalized, result);
    }

    private static async Task<IResult> SetPromiseAsync(
        string reference,
        SetPromiseRequest? request,
        ClaimsPrincipal user,
        [FromServices] IComplaintCommands commands,
        CancellationToken cancellationToken)
    {
        if (!TryNormalizeReference(reference, out var normalized))
        {
            return NotAReference(reference);
        }

        request ??= new SetPromiseRequest(null, null);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!TryParseInstant(request.DueAt, out var dueAt))
        {
            errors["dueAt"] = [string.IsNullOrWhiteSpace(request.DueAt)
                ? "dueAt is required: the promised date and time, ISO 8601 with an offset, e.g. 2026-12-04T17:00:00+01:00."
                : $"'{request.DueAt}' is not an ISO 8601 date and time with an offset (Z or ±hh:mm), e.g. 2026-12-04T17:00:00+01:00; without an offset the time zone would be a guess."];
        }

        CheckLength(errors, "reason", request.Reason, MaxReasonLength);
        if (request.MarginDays is < 0 or > MaxMarginDays)
        {
            errors["marginDays"] = [$"marginDays is {request.MarginDays}; use a whole number of days from 0 to {MaxMarginDays}."];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var margin = TimeSpan.FromDays(request.MarginDays ?? 0);
        var result = await commands.SetPromiseAsync(normalized, dueAt, margin, ApiResults.Actor(user), Blank(request.Reason), cancellationToken);
        return ToResult(normalized, result);
    }

    private static async Task<IResult> AddNoteAsync(
        string reference,
        AddNoteRequest? request,
        ClaimsPrincipal user,
        [FromServices] IComplaintCommands commands,
        CancellationToken cancellationToken)
    {
        if (!TryNormalizeReference(reference, out var normalized))
        {
            return NotAReference(reference);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request?.Text))
        {
            errors["text"] = ["text is required: the progress note, plain text."];
        }

        CheckLength(errors, "text", request?.Text, MaxNoteLength);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var result = await commands.AddNoteAsync(normalized, ApiResults.Actor(user), request!.Text!.Trim(), request.SendToCustomer, cancellationToken);
        return ToResult(normalized, result);
    }

    private static async Task<IResult> ResolveAsync(
        string reference,
        ResolveRequest? request,
        ClaimsPrincipal user,
        [FromServices] IComplaintCommands commands,
        CancellationToken cancellationToken)
    {
        if (!TryNormalizeReference(reference, out var normalized))
        {
            return NotAReference(reference);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckLength(errors, "note", request?.Note, MaxNoteLength);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var result = await commands.ResolveAsync(normalized, ApiResults.Actor(user), Blank(request?.Note), cancellationToken);
        return ToResult(normalized, result);
    }

    private static IResult ToResult(string reference, CommandResult result) => result.Outcome switch
    {
        CommandOutcome.Done => TypedResults.Ok(new ComplaintCommandResponse(reference, "done", result.Message)),
        CommandOutcome.AlreadyDone => TypedResults.Ok(new ComplaintCommandResponse(reference, "alreadyDone", result.Message)),
        CommandOutcome.NotFound => ApiResults.Problem(StatusCodes.Status404NotFound, result.Message ?? $"There is no complaint {reference}."),
        CommandOutcome.Invalid => ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, result.Message ?? $"Complaint {reference} does not allow this in its current state."),
        _ => throw new InvalidOperationException($"Unknown command outcome {result.Outcome}."),
    };

    private static IResult NotAReference(string reference) =>
        ApiResults.Problem(StatusCodes.Status404NotFound, $"'{reference}' is not a complaint reference; references look like SW-2026-000123.");

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));

    private static bool TryNormalizeReference(string reference, out string normalized)
    {
        normalized = reference.Trim().ToUpperInvariant();
        return ReferencePattern().IsMatch(normalized);
    }

    /// <summary>ISO 8601 with an explicit offset: a bare local time would be read in the server's zone, a silent guess.</summary>
    private static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null
            && OffsetPattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    private static void CheckLength(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is { Length: > 0 } && value.Length > max)
        {
            errors[field] = [$"{field} is {value.Length} characters long; at most {max} are kept."];
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // The shape of SlaWatch.Domain.Complaints.ComplaintReference.Format.
    [GeneratedRegex(@"^SW-\d{4}-\d{6,}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 200)]
    private static partial Regex OffsetPattern();
}
