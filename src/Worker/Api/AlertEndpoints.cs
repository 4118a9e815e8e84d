using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using SlaWatch.Infrastructure.Complaints;

namespace SlaWatch.Worker.Api;

/// <summary><c>/api/alerts/{id}/…</c>: what supervisors do to an alert.</summary>
public static class AlertEndpoints
{
    internal static RouteGroupBuilder MapAlertEndpoints(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts").RequireAuthorization(ApiPolicies.Supervisor);
        alerts.MapPost("/{id}/acknowledge", AcknowledgeAsync)
            .WithName("AcknowledgeAlert")
            .WithSummary("Acknowledge an alert: re-sending stops, and the chain does not climb to the Breached+… levels of that deadline.")
            .Produces<AlertCommandResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<IResult> AcknowledgeAsync(
        string id,
        ClaimsPrincipal user,
        [FromServices] IComplaintCommands commands,
        CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var alertId) || alertId <= 0)
        {
            return ApiResults.Problem(StatusCodes.Status404NotFound, $"'{id}' is not an alert id; alert ids are positive numbers, as in the alert.");
        }

        var result = await commands.AcknowledgeAlertAsync(alertId, ApiResults.Actor(user), cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.Done => TypedResults.Ok(new AlertCommandResponse(alertId, "done", result.Message)),
            CommandOutcome.AlreadyDone => TypedResults.Ok(new AlertCommandResponse(alertId, "alreadyDone", result.Message)),
            CommandOutcome.NotFound => ApiResults.Problem(StatusCodes.Status404NotFound, result.Message ?? $"There is no alert {alertId}."),
            CommandOutcome.Invalid => ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, result.Message ?? $"Alert {alertId} cannot be acknowledged now."),
            _ => throw new InvalidOperationException($"Unknown command outcome {result.Outcome}."),
        };
    }
}
