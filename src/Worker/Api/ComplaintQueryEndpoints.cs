using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SlaWatch.Domain.Complaints;
using SlaWatch.Infrastructure.Complaints;

namespace SlaWatch.Worker.Api;

/// <summary>
/// <c>GET /api/complaints</c> and <c>GET /api/complaints/{reference}</c>: the read side for agents and supervisors.
/// The state filter follows <see cref="ComplaintSituation.Of"/>: breached (an open deadline has passed), at risk (an open
/// deadline reached its first at-risk point or raised an at-risk alert).
/// </summary>
public static partial class ComplaintQueryEndpoints
{
    private const int DefaultLimit = 50;

    internal static RouteGroupBuilder MapComplaintQueryEndpoints(this RouteGroupBuilder api)
    {
        var complaints = api.MapGroup("/complaints").WithTags("Complaints").RequireAuthorization(ApiPolicies.Agent);
        complaints.MapGet("/", ListAsync)
            .WithName("ListComplaints")
            .WithSummary("List complaints, oldest received first (then by id), filtered by status, state, inbox and language; page with limit and the nextCursor of the previous page.")
            .Produces<ComplaintListResponse>()
            .ProducesValidationProblem();
        complaints.MapGet("/{reference}", GetAsync)
            .WithName("GetComplaint")
            .WithSummary("One complaint with its whole timeline: events in order, alerts (who was alerted, who acknowledged) and the messages sent to the customer.")
            .Produces<ComplaintDetailResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListAsync(
        [FromQuery, Description("open (not resolved) or resolved.")] string? status,
        [FromQuery, Description("at-risk or breached, at the moment of the request.")] string? state,
        [FromQuery, Description("The configured inbox name.")] string? inbox,
        [FromQuery, Description("ISO 639-1 code the customer is answered in, e.g. en.")] string? language,
        [FromQuery, Description("Page size, 1 to 200 (default 50).")] string? limit,
        [FromQuery, Description("The nextCursor of the previous page.")] string? cursor,
        [FromServices] ComplaintQueries queries,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        bool? open = status?.Trim().ToLowerInvariant() switch
        {
            null => null,
            "open" => true,
            "resolved" => false,
            _ => Error(errors, "status", $"'{status}' is not a status filter; use open or resolved."),
        };
        var stateFilter = state?.Trim().ToLowerInvariant() switch
        {
            null => null,
            ComplaintStates.AtRisk => ComplaintStates.AtRisk,
            ComplaintStates.Breached => ComplaintStates.Breached,
            _ => Error<string>(errors, "state", $"'{state}' is not a state filter; use at-risk or breached."),
        };
        if (open == false && stateFilter is not null)
        {
            errors["state"] = ["A resolved complaint is never at risk or breached; drop status=resolved or state."];
        }

        var inboxFilter = inbox?.Trim();
        if (inboxFilter is { Length: 0 or > 100 })
        {
            errors["inbox"] = ["inbox must be an inbox name of 1 to 100 characters."];
        }

        var languageFilter = language?.Trim().ToLowerInvariant();
        if (languageFilter is not null && !LanguagePattern().IsMatch(languageFilter))
        {
            errors["language"] = [$"'{language}' is not a language code; use an ISO 639-1 code such as en, ru or zh."];
        }

        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > ComplaintQueries.MaxLimit))
        {
            errors["limit"] = [$"'{limit}' is not a page size; use a whole number from 1 to {ComplaintQueries.MaxLimit}."];
        }

        ComplaintCursor? after = null;
        if (cursor is not null && !ComplaintCursor.TryDecode(cursor, out after))
        {
            errors["cursor"] = ["cursor is not one this API gave out; pass the nextCursor of the previous page unchanged."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));
        }

        var page = await queries.ListAsync(new ComplaintListQuery(open, stateFilter, inboxFilter, languageFilter, size, after), time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new ComplaintListResponse([.. page.Items.Select(i => Summary(i.Complaint, i.Situation))], page.Next?.Encode()));
    }

    private static async Task<Results<Ok<ComplaintDetailResponse>, ProblemHttpResult>> GetAsync(
        string reference,
        [FromServices] ComplaintQueries queries,
        [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var normalized = reference.Trim().ToUpperInvariant();
        if (!ReferencePattern().IsMatch(normalized))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"'{reference}' is not a complaint reference; references look like SW-2026-000123.");
        }

        var detail = await queries.GetAsync(normalized, time.GetUtcNow(), cancellationToken);
        if (detail is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"There is no complaint {normalized}.");
        }

        return TypedResults.Ok(new ComplaintDetailResponse(
            Summary(detail.Complaint, detail.Situation),
            [.. detail.Events.Select(e => new ComplaintEventResponse(e.At, e.Type, e.Actor, e.Detail))],
            [.. detail.Alerts.Select(AlertOf)],
            [.. detail.CustomerMessages.Select(m => new CustomerMessageResponse(m.Kind, m.Status.ToString(), m.Language, m.CreatedAt, m.SentAt))]));
    }

    internal static ComplaintSummaryResponse Summary(Complaint c, ComplaintSituation s) => new(
        c.Reference,
        c.Status.ToString(),
        s.State,
        c.Inbox,
        c.CustomerAddress,
        c.CustomerName,
        c.Subject,
        c.Language,
        c.ReceivedAt,
        c.RespondedAt,
        c.ResolvedAt,
        c.FirstResponseDueAt,
        c.PromiseDueAt,
        c.PromiseOutcome,
        s.Deadline,
        s.DueAt,
        s.AtRiskAt,
        c.CallCustomer,
        c.ContentFlags,
        c.CustomerUnreachable);

    internal static AlertResponse AlertOf(Alert a) => new(
        a.Id,
        a.Deadline,
        a.DeadlineVersion,
        a.Stage,
        a.LevelName,
        a.ThresholdAt,
        a.RecordedAt,
        string.IsNullOrWhiteSpace(a.Recipients) ? [] : a.Recipients.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        a.AcknowledgedAt,
        a.AcknowledgedBy);

    private static bool? Error(Dictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return null;
    }

    private static T? Error<T>(Dictionary<string, string[]> errors, string name, string message)
        where T : class
    {
        errors[name] = [message];
        return null;
    }

    [GeneratedRegex(@"^[a-z]{2,3}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^SW-\d{4}-\d{6,}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex ReferencePattern();
}

/// <summary>One page of complaints; <c>nextCursor</c> is null on the last page.</summary>
public sealed record ComplaintListResponse(IReadOnlyList<ComplaintSummaryResponse> Items, string? NextCursor);

/// <summary>A complaint and where it stands now.</summary>
public sealed record ComplaintSummaryResponse(
    string Reference,
    [property: Description("Open, Responded or Resolved.")] string Status,
    [property: Description("closed, on-time, at-risk or breached at the moment of the request.")] string State,
    string Inbox,
    string CustomerAddress,
    string? CustomerName,
    string Subject,
    string Language,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? RespondedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? FirstResponseDueAt,
    DateTimeOffset? PromiseDueAt,
    [property: Description("Kept or Missed once known.")] string? PromiseOutcome,
    [property: Description("The deadline that decides the state: FirstResponse or Promise; null when none is open.")] string? Deadline,
    [property: Description("When that deadline is (was) due.")] DateTimeOffset? DueAt,
    [property: Description("Its first at-risk point.")] DateTimeOffset? AtRiskAt,
    [property: Description("The customer asked for a manager, wrote abusively or mentioned legal action: call them.")] bool CallCustomer,
    string? ContentFlags,
    bool CustomerUnreachable);

/// <summary>A complaint with its whole timeline.</summary>
public sealed record ComplaintDetailResponse(
    ComplaintSummaryResponse Complaint,
    [property: Description("The complaint's log, oldest first.")] IReadOnlyList<ComplaintEventResponse> Events,
    IReadOnlyList<AlertResponse> Alerts,
    [property: Description("Messages to the customer (kind, status, when sent); bodies are not returned.")] IReadOnlyList<CustomerMessageResponse> Messages);

public sealed record ComplaintEventResponse(DateTimeOffset At, string Type, string Actor, string? Detail);

/// <summary>An alert: which deadline and level, who was told, who acknowledged.</summary>
public sealed record AlertResponse(
    long Id,
    string Deadline,
    int DeadlineVersion,
    [property: Description("AtRisk, Breached or Content.")] string Stage,
    string Level,
    DateTimeOffset ThresholdAt,
    DateTimeOffset RecordedAt,
    [property: Description("Email addresses and webhook hosts alerted.")] IReadOnlyList<string> Recipients,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy);

public sealed record CustomerMessageResponse(
    string Kind,
    [property: Description("Pending, Sending, Sent, Failed, Dropped or Undeliverable.")] string Status,
    string Language,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt);
