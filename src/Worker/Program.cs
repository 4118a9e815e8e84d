using Microsoft.Extensions.Options;
using Npgsql;
using Serilog;
using SlaWatch.Infrastructure;
using SlaWatch.Infrastructure.Messages;
using SlaWatch.Worker;
using SlaWatch.Worker.Api;

// Exit codes: 0 stopped normally, 1 crashed (a supervisor should restart it), 2 bad configuration (it should not).
Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal));
var hostArgs = args.Where(a => a != command).ToArray();
try
{
    using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    switch (command)
    {
        case null:
            break;
        case "migrate":
            await SlaWatchHost.Build(hostArgs).Services.MigrateDatabaseAsync(startup.Token);
            Log.Information("Database migrated");
            return 0;
        case "apikey":
            // Needs neither the database nor a valid inbox: only the configuration, to number the new key.
            return ApiKeyCommand.Run(hostArgs, WebApplication.CreateBuilder(hostArgs).Configuration, Console.Out, Console.Error);
        default:
            Log.Fatal("Unknown command '{Command}'. Commands: migrate, apikey. With no command the worker runs.", command);
            return 2;
    }

    var app = SlaWatchHost.Build(hostArgs);

    app.Services.GetRequiredService<TemplateCatalogValidator>().ValidateAll();
    await MigrateWithRetriesAsync(app.Services, startup.Token);
    // Taken before the run: the host disposes its services when it stops.
    var loops = app.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
    await app.RunAsync();

    // .NET stops the host when a BackgroundService fails but still exits 0; a supervisor must see the crash.
    var crashed = loops.Any(s => s.ExecuteTask is { IsFaulted: true });
    return crashed ? 1 : 0;
}
catch (OptionsValidationException ex)
{
    Log.Fatal("The configuration is not valid; SlaWatch will not start:\n  {Problems}", string.Join("\n  ", ex.Failures));
    return 2;
}
catch (TemplateValidationException ex)
{
    Log.Fatal("The message templates are not valid; SlaWatch will not start:\n{Problems}", ex.Message);
    return 2;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Log.Fatal(ex, "SlaWatch stopped after an unexpected error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

// The database may still be starting (a container, a failover): wait for it rather than crash-loop.
static async Task MigrateWithRetriesAsync(IServiceProvider services, CancellationToken cancellationToken)
{
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            await services.MigrateDatabaseAsync(cancellationToken);
            return;
        }
        catch (NpgsqlException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
        {
            Log.Warning("PostgreSQL is not reachable yet ({Error}); retrying (attempt {Attempt})", ex.Message, attempt);
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt)), cancellationToken);
        }
    }
}
