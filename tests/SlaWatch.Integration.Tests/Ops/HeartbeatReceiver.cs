using System.Diagnostics;
using System.Net;
using SlaWatch.Integration.Tests.Fixtures;

namespace SlaWatch.Integration.Tests.Ops;

/// <summary>An outside monitor's heartbeat URL on loopback: records when each ping arrived.</summary>
internal sealed class HeartbeatReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<TimeSpan> _pings = [];
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public HeartbeatReceiver()
    {
        Url = $"http://127.0.0.1:{WorkerEnvironment.FreeTcpPort()}/ping/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = ServeAsync();
    }

    public string Url { get; }

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<TimeSpan> Pings
    {
        get
        {
            lock (_lock)
            {
                return [.. _pings];
            }
        }
    }

    public async Task WaitForPingAfterAsync(TimeSpan after, TimeSpan timeout)
    {
        var limit = Stopwatch.StartNew();
        while (!Pings.Any(p => p > after))
        {
            if (limit.Elapsed > timeout)
            {
                throw new TimeoutException($"No heartbeat within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(100);
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (_lock)
            {
                _pings.Add(_clock.Elapsed);
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
