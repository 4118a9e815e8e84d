using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Worker.Board;

namespace SlaWatch.Worker.Api;

/// <summary>
/// The HTTP surface beyond health: API-key authentication and role policies, the API under <c>/api</c> (every
/// endpoint there needs a key; each adds its role), the signed acknowledge links, the OpenAPI document, the job
/// dashboard. Problem details for every 4xx and 5xx.
/// </summary>
public static class ApiRegistration
{
    public const string OpenApiPath = "/openapi/{documentName}.json";
    public const string DashboardPath = "/hangfire";

    public static IHostApplicationBuilder AddSlaWatchApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context => DefaultDetail(context.ProblemDetails, context.HttpContext));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorization(ApiPolicies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        // Hangfire checks the dashboard's POSTs (retry, delete) with it: Basic credentials are resent by the browser.
        services.AddAntiforgery();
        services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecuritySchemeTransformer>());

        services.TryAddSingleton<SignedTokens>();
        services.TryAddSingleton<AlertLinks>();
        services.AddSingleton<DashboardAuthorizationFilter>();
        // PRODUCT.md: the links' base defaults to the listen URL.
        services.AddOptions<SlaWatchOptions>().PostConfigure<IConfiguration>((options, configuration) =>
        {
            if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
            {
                options.PublicBaseUrl = FirstListenUrl(configuration["urls"]);
            }
        });
        return builder;
    }

    public static WebApplication MapSlaWatchApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapComplaintEndpoints();
        api.MapAlertEndpoints();
        api.MapComplaintQueryEndpoints();
        app.MapAlertLinkEndpoints();
        app.MapSupervisorBoard();
        // The document describes the API, not its data: public, like the health endpoints.
        app.MapOpenApi(OpenApiPath);
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [app.Services.GetRequiredService<DashboardAuthorizationFilter>()],
        });
        return app;
    }

    /// <summary>The first of <c>Urls</c> as a base for links; a wildcard host (<c>http://+:8080</c>) becomes localhost.</summary>
    internal static string? FirstListenUrl(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return Uri.TryCreate(first, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path).TrimEnd('/') : null;
    }

    /// <summary>Every problem says what went wrong, also those the framework writes with a bare status code.</summary>
    private static void DefaultDetail(Microsoft.AspNetCore.Mvc.ProblemDetails problem, HttpContext context)
    {
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var request = $"{context.Request.Method} {context.Request.Path}";
        var dashboard = context.Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase);
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status400BadRequest => $"The request {request} is not valid.",
            StatusCodes.Status401Unauthorized when dashboard => "The job dashboard needs an API key with the ops role; a browser asks for it (any user name, the key as password).",
            StatusCodes.Status401Unauthorized => "This needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.",
            StatusCodes.Status403Forbidden when dashboard => "The job dashboard needs an API key with the ops role.",
            StatusCodes.Status403Forbidden => "The API key's role may not do this.",
            StatusCodes.Status404NotFound => $"Nothing answers {request}.",
            StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with 'Content-Type: application/json'.",
            >= 500 => "SlaWatch failed to answer; the error is logged with this trace id.",
            _ => problem.Detail,
        };
    }

    /// <summary>Bad input the framework rejects before an endpoint runs (a body that is not JSON, a missing body): 400 with what was wrong.</summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            httpContext.Response.StatusCode = bad.StatusCode;
            var detail = bad.InnerException is JsonException json
                ? $"The request body is not the JSON this endpoint expects, at {json.Path ?? "$"} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}); the OpenAPI document at /openapi/v1.json describes it."
                : bad.Message;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = { Status = bad.StatusCode, Detail = detail },
                Exception = exception,
            });
        }
    }

    /// <summary>The OpenAPI document says how to authenticate: a bearer key or the X-Api-Key header.</summary>
    private sealed class ApiKeySecuritySchemeTransformer : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info.Title = "SlaWatch API";
            document.Info.Description = "Record responses, set promises, resolve complaints and acknowledge alerts. Authenticate with an API key (the apikey command creates one): 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. Roles: agent (complaints), supervisor (complaints and alerts), ops (dashboard, metrics, erasure).";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
            {
                ["Bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "Authorization: Bearer <key>" },
                [ApiKeyAuthenticationHandler.HeaderName] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthenticationHandler.HeaderName },
            };
            foreach (var operation in (document.Paths ?? []).Values.SelectMany(path => path.Operations ?? []).Select(o => o.Value))
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.HeaderName, document)] = [] });
            }

            return Task.CompletedTask;
        }
    }
}
