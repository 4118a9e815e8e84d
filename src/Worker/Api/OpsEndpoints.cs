using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using SlaWatch.Infrastructure.Retention;

namespace SlaWatch.Worker.Api;

/// <summary><c>/api/ops/…</c>: what only ops may do — erase one customer's personal data.</summary>
public static class OpsEndpoints
{
    internal static IEndpointRouteBuilder MapOpsEndpoints(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/api/ops").WithTags("Ops").RequireAuthorization(ApiPolicies.Ops);
        ops.MapPost("/erasure", EraseAsync)
            .WithName("EraseCustomer")
            .WithSummary("Erase one customer's personal data everywhere (complaints, raw mail, social messages, webhook deliveries, outbox, thread ids); recorded in the erasures table without the address.")
            .Produces<ErasureResponse>()
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> EraseAsync(
        ErasureRequest request,
        ClaimsPrincipal user,
        [FromServices] CustomerErasure erasure,
        CancellationToken cancellationToken)
    {
        var address = request.Customer?.Trim();
        // Any channel's customer id: one token, no spaces or display name ("Jane <jane@example.com>" is refused, so
        // nobody erases nothing by pasting a header).
        if (string.IsNullOrEmpty(address) || address.Length > 320 || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"'))
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["customer"] = ["customer is required: the customer as their complaints show it, alone — an email address (jane@example.com), a Mastodon acct (jane@mastodon.example), a Telegram chat id or a WhatsApp number."],
            };
            return TypedResults.ValidationProblem(errors, detail: errors["customer"][0]);
        }

        var done = await erasure.EraseAsync(address, ApiResults.Actor(user), cancellationToken);
        return TypedResults.Ok(new ErasureResponse(done.Id, done.At, done.Complaints, done.InboundMessages, done.OutboxMessages, done.ThreadIds, done.Events, done.SubjectHash));
    }
}

/// <summary>Whose data to erase.</summary>
public sealed record ErasureRequest(
    [property: Description("The customer's address on any channel, as their complaints show it — email address, Mastodon acct, Telegram chat id, WhatsApp number (matched without regard to case).")] string? Customer);

/// <summary>What was erased: rows touched per table, and the keyed hash the erasure is recorded under.</summary>
public sealed record ErasureResponse(long ErasureId, DateTimeOffset At, int Complaints, int InboundMessages, int OutboxMessages, int ThreadIds, int Events, string SubjectHash);
