using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;
using SlaWatch.Domain.Outbox;
using SlaWatch.Infrastructure.Messages;
using SlaWatch.Infrastructure.Persistence;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Infrastructure.Sla;

namespace SlaWatch.Worker.Status;

/// <summary>
/// <c>GET /status/{token}</c>: the customer's status page, linked from every message to them. Public by design, the
/// signed, expiring token is the capability, and it opens this one page of this one complaint: the reference and the
/// timeline (received, acknowledged, answered, promised date, resolved), in the complaint's language. Nothing else is
/// reachable from it — no complaint text, no other complaint, no link, no form, nothing that changes state. A token that
/// is not genuine, not made for this page, or expired gets a plain error page.
/// </summary>
public static class StatusPageEndpoints
{
    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(StatusLinks.PathPrefix + "{token}", ShowAsync)
            .ExcludeFromDescription()
            .AllowAnonymous()
            .AddEndpointFilter(async (context, next) =>
            {
                AddPageHeaders(context.HttpContext);
                return await next(context);
            });
        return app;
    }

    private static async Task<ContentHttpResult> ShowAsync(
        string token,
        [FromServices] StatusLinks links,
        [FromServices] SlaPolicies policies,
        [FromServices] TimeProvider time,
        [FromServices] SlaWatchDbContext db,
        CancellationToken cancellationToken)
    {
        var validation = links.Validate(token, time.GetUtcNow());
        if (!validation.IsValid)
        {
            return Refused(validation.Problem);
        }

        var reference = validation.Id!;
        var complaint = await db.Complaints.AsNoTracking()
            .Where(c => c.Reference == reference)
            .Select(c => new { c.Id, c.Reference, c.Inbox, c.Language, c.ReceivedAt, c.RespondedAt, c.ResolvedAt, c.Status, c.PromiseDueAt, c.PromiseEarliestAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (complaint is null)
        {
            // A genuine link to a complaint that is no longer kept (erased): the same plain page, nothing to tell apart.
            return Refused(TokenProblem.Tampered, StatusCodes.Status404NotFound);
        }

        var acknowledgedAt = await db.Outbox.AsNoTracking()
            .Where(o => o.ComplaintId == complaint.Id && o.Kind == OutboxKinds.Acknowledgement && o.Status == OutboxStatus.Sent)
            .Select(o => o.SentAt)
            .FirstOrDefaultAsync(cancellationToken);
        var language = LanguageCode.TryParse(complaint.Language, out var code) ? code : LanguageCode.English;
        var text = StatusPageText.For(language.Value);
        var zone = policies.For(complaint.Inbox).Policy.Calendar.TimeZone;

        string When(DateTimeOffset? at) => at is { } instant
            ? PromiseWording.Date(language, PromiseWording.LocalDate(instant, zone)) + ", " + Local(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture)
            : text.NotYet;

        string? promise = null;
        if (complaint.PromiseDueAt is { } dueAt)
        {
            var due = PromiseWording.Date(language, PromiseWording.LocalDate(dueAt, zone));
            promise = complaint.PromiseEarliestAt is { } earliestAt && PromiseWording.LocalDate(earliestAt, zone) < PromiseWording.LocalDate(dueAt, zone)
                ? string.Format(CultureInfo.InvariantCulture, text.PromiseBetween, PromiseWording.Date(language, PromiseWording.LocalDate(earliestAt, zone)), due)
                : string.Format(CultureInfo.InvariantCulture, text.PromiseBy, due);
        }

        var rows = new List<(string Label, string Value, bool Done)>
        {
            (text.Received, When(complaint.ReceivedAt), true),
            (text.Acknowledged, When(acknowledgedAt), acknowledgedAt is not null),
            (text.Answered, When(complaint.RespondedAt), complaint.RespondedAt is not null),
        };
        if (promise is not null)
        {
            rows.Add((text.Promised, promise, complaint.Status == ComplaintStatus.Resolved));
        }

        var resolvedAt = complaint.Status == ComplaintStatus.Resolved ? complaint.ResolvedAt : null;
        rows.Add((text.Resolved, When(resolvedAt), resolvedAt is not null));

        var body = new StringBuilder();
        body.Append("<p>").Append(Encode(text.Intro)).Append("</p>\n");
        body.Append("<p>").Append(Encode(text.Reference)).Append(": <strong>").Append(Encode(complaint.Reference)).Append("</strong></p>\n<ol class=\"timeline\">\n");
        foreach (var (label, value, done) in rows)
        {
            body.Append("<li class=\"").Append(done ? "done" : "pending").Append("\"><span class=\"label\">").Append(Encode(label))
                .Append("</span> <span class=\"value\">").Append(Encode(value)).Append("</span></li>\n");
        }

        body.Append("</ol>\n<p class=\"note\">")
            .Append(Encode(string.Format(CultureInfo.InvariantCulture, text.TimesIn, zone?.Id ?? "UTC")))
            .Append("</p>");
        return Page(StatusCodes.Status200OK, language.Value, string.Format(CultureInfo.InvariantCulture, text.Title, complaint.Reference), body.ToString());
    }

    private static DateTimeOffset Local(DateTimeOffset instant, TimeZoneInfo? zone) =>
        zone is null ? instant.ToUniversalTime() : TimeZoneInfo.ConvertTime(instant, zone);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static ContentHttpResult Refused(TokenProblem problem, int? status = null)
    {
        var expired = problem == TokenProblem.Expired;
        var body = new StringBuilder();
        foreach (var (language, invalid, expiredText) in StatusPageText.Errors)
        {
            body.Append("<p lang=\"").Append(language).Append("\">").Append(Encode(expired ? expiredText : invalid)).Append("</p>\n");
        }

        return Page(status ?? (expired ? StatusCodes.Status410Gone : StatusCodes.Status400BadRequest), "en", expired ? "Link expired" : "Link not valid", body.ToString());
    }

    private static ContentHttpResult Page(int status, string language, string title, string body) => TypedResults.Content(
        $$"""
        <!DOCTYPE html>
        <html lang="{{Encode(language)}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{{Encode(title)}}</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}ol.timeline{list-style:none;padding:0}ol.timeline li{padding:.4em 0 .4em 1.6em;position:relative}ol.timeline li::before{content:"○";position:absolute;left:0}ol.timeline li.done::before{content:"●"}.label{font-weight:600}.pending .value{color:#666}.note{color:#666;font-size:.9em}</style>
        </head><body><h1>{{Encode(title)}}</h1>
        {{body}}
        </body></html>
        """,
        "text/html; charset=utf-8",
        statusCode: status);

    /// <summary>
    /// The token is a capability: it must not leak through the Referer header, a cache or a search engine, and the page
    /// loads nothing but its own inline style.
    /// </summary>
    private static void AddPageHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    }
}
