using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SlaWatch.Infrastructure.Complaints;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Worker.Api;

/// <summary>
/// <c>/alerts/ack/{token}</c>: the acknowledge link in an alert. Public by design, but the signed, expiring token is
/// the capability (PRODUCT.md, HTTP). The GET only asks: mail scanners and link previews fetch links, and must not
/// acknowledge for the supervisor; the POST of its form acts, with the actor <c>link</c>. A token that is not genuine
/// or has expired gets a plain page and nothing else.
/// </summary>
public static class AlertLinkEndpoints
{
    /// <summary>Recorded as the actor of an acknowledgement through a link (no key can be named so).</summary>
    public const string Actor = Configuration.ApiOptionsValidator.LinkActor;

    internal static IEndpointRouteBuilder MapAlertLinkEndpoints(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup(AlertLinks.PathPrefix.TrimEnd('/'))
            .ExcludeFromDescription()
            .AllowAnonymous()
            .AddEndpointFilter(async (context, next) =>
            {
                AddPageHeaders(context.HttpContext);
                return await next(context);
            });
        links.MapGet("/{token}", AskAsync);
        links.MapPost("/{token}", AcknowledgeAsync);
        return app;
    }

    private static async Task<ContentHttpResult> AskAsync(
        string token,
        [FromServices] SignedTokens tokens,
        [FromServices] TimeProvider time,
        [FromServices] SlaWatchDbContext db,
        CancellationToken cancellationToken)
    {
        var validation = tokens.Validate(SignedTokens.AlertAcknowledge, token, time.GetUtcNow());
        if (!validation.IsValid)
        {
            return Refused(validation.Problem);
        }

        if (!long.TryParse(validation.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var alertId))
        {
            return Refused(TokenProblem.WrongPurpose);
        }

        // Only what the alert itself said: the page is public to whoever holds the link.
        var alert = await db.Alerts.AsNoTracking()
            .Where(a => a.Id == alertId)
            .Join(db.Complaints, a => a.ComplaintId, c => c.Id, (a, c) => new { c.Reference, a.Deadline, a.Stage, a.AcknowledgedAt, a.AcknowledgedBy })
            .FirstOrDefaultAsync(cancellationToken);
        if (alert is null)
        {
            return NotFound(alertId);
        }

        var reference = WebUtility.HtmlEncode(alert.Reference);
        if (alert.AcknowledgedAt is { } acknowledgedAt)
        {
            return Page(
                StatusCodes.Status200OK,
                "Already acknowledged",
                $"<p>The alert for complaint {reference} was acknowledged by {WebUtility.HtmlEncode(alert.AcknowledgedBy ?? "someone")} at {acknowledgedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; nothing more to do.</p>");
        }

        // The form posts back to this same URL, token included.
        return Page(
            StatusCodes.Status200OK,
            $"Acknowledge alert for complaint {alert.Reference}?",
            $"""
            <p>Complaint {reference}: {WebUtility.HtmlEncode(Describe(alert.Deadline, alert.Stage))}.</p>
            <p>Acknowledging tells SlaWatch that you are taking care of it: this alert is not sent again, and the chain does not climb to the levels after the breach. The breach alert still goes out if the deadline passes unanswered.</p>
            <form method="post"><button type="submit">Acknowledge</button></form>
            """);
    }

    private static async Task<IResult> AcknowledgeAsync(
        string token,
        [FromServices] SignedTokens tokens,
        [FromServices] TimeProvider time,
        [FromServices] IComplaintCommands commands,
        CancellationToken cancellationToken)
    {
        var validation = tokens.Validate(SignedTokens.AlertAcknowledge, token, time.GetUtcNow());
        if (!validation.IsValid)
        {
            return Refused(validation.Problem);
        }

        if (!long.TryParse(validation.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var alertId))
        {
            return Refused(TokenProblem.WrongPurpose);
        }

        var result = await commands.AcknowledgeAlertAsync(alertId, Actor, cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.Done => Page(StatusCodes.Status200OK, "Alert acknowledged", $"<p>Thank you. Alert {alertId} is acknowledged; the escalation chain stops climbing for this deadline.</p>"),
            CommandOutcome.AlreadyDone => Page(StatusCodes.Status200OK, "Already acknowledged", $"<p>Alert {alertId} was already acknowledged; nothing more to do.</p>"),
            CommandOutcome.NotFound => NotFound(alertId),
            CommandOutcome.Invalid => Page(StatusCodes.Status422UnprocessableEntity, "Cannot acknowledge", $"<p>{WebUtility.HtmlEncode(result.Message ?? $"Alert {alertId} cannot be acknowledged now.")}</p>"),
            _ => throw new InvalidOperationException($"Unknown command outcome {result.Outcome}."),
        };
    }

    private static ContentHttpResult NotFound(long alertId) =>
        Page(StatusCodes.Status404NotFound, "Alert not found", $"<p>There is no alert {alertId}.</p>");

    private static string Describe(string deadline, string stage) => (deadline, stage) switch
    {
        ("FirstResponse", "AtRisk") => "the first response is at risk",
        ("FirstResponse", "Breached") => "the first response is overdue",
        ("Promise", "AtRisk") => "the promised resolution date is at risk",
        ("Promise", "Breached") => "the promised resolution date has passed",
        ("Content", _) => "the customer asked for a manager, wrote abusively or mentioned legal action: call the customer",
        _ => $"{deadline} {stage}",
    };

    private static ContentHttpResult Refused(TokenProblem problem) => problem == TokenProblem.Expired
        ? Page(StatusCodes.Status410Gone, "Link expired", "<p>This acknowledge link has expired. Acknowledge the alert through the API, or answer the complaint.</p>")
        : Page(StatusCodes.Status400BadRequest, "Link not valid", "<p>This is not a valid acknowledge link. Open the link exactly as it is in the alert.</p>");

    private static ContentHttpResult Page(int status, string title, string body) => TypedResults.Content(
        $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{{WebUtility.HtmlEncode(title)}} · SlaWatch</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}button{font-size:1.1em;padding:.5em 1.2em}</style>
        </head><body><h1>{{WebUtility.HtmlEncode(title)}}</h1>
        {{body}}
        </body></html>
        """,
        "text/html; charset=utf-8",
        statusCode: status);

    /// <summary>
    /// The headers of these pages: the token is a capability and must not leak through the Referer header, a cache or
    /// a search engine; nothing but our own inline style and our own form is allowed.
    /// </summary>
    private static void AddPageHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }
}
