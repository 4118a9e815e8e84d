using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace SlaWatch.Integration.Tests.Fixtures;

/// <summary>
/// A platform's HTTP API played by the test on a free loopback port (the worker's <c>BaseUrl</c> points here): the
/// stand-in maps its routes, this starts the server and stops it with the stand-in.
/// </summary>
public abstract class LocalHttpStandIn : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where the stand-in listens, e.g. <c>http://127.0.0.1:40123</c>; set once it is serving.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts serving the routes <paramref name="map"/> adds.</summary>
    protected async Task ServeAsync(Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var url = $"http://127.0.0.1:{WorkerEnvironment.FreeTcpPort().ToString(CultureInfo.InvariantCulture)}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        map(_app);
        await _app.StartAsync();
        BaseUrl = url;
    }
}
