using SlaWatch.Infrastructure.Social.Webhook;

namespace SlaWatch.Worker.Api;

/// <summary>
/// <c>/webhooks/{inbox}</c> for platforms that only push (WhatsApp Cloud API, Messenger, Instagram): the verification challenge (GET) and
/// signed deliveries (POST). No API key: the app secret's signature is the authentication.
/// </summary>
internal static class SocialWebhookEndpoints
{
    private const int MaxBody = 1024 * 1024;

    public static WebApplication MapSocialWebhooks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var webhooks = app.MapGroup("/webhooks/{inbox}").AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        webhooks.MapGet(string.Empty, Challenge);
        webhooks.MapPost(string.Empty, ReceiveAsync);
        return app;
    }

    private static IResult Challenge(string inbox, HttpRequest request, WebhookIngestion ingestion)
    {
        var answer = ingestion.Challenge(inbox, request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"]);
        return answer is null ? Results.StatusCode(StatusCodes.Status403Forbidden) : Results.Text(answer, "text/plain");
    }

    private static async Task<IResult> ReceiveAsync(string inbox, HttpRequest request, WebhookIngestion ingestion, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        return await ingestion.ReceiveAsync(inbox, buffer.ToArray(), request.Headers["X-Hub-Signature-256"].FirstOrDefault(), cancellationToken) switch
        {
            WebhookOutcome.Stored => Results.Ok(),
            WebhookOutcome.BadSignature => Results.Unauthorized(),
            _ => Results.NotFound(),
        };
    }
}
