using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Fixtures;

/// <summary>
/// The built worker as a child process (<c>dotnet SlaWatch.Worker.dll</c> from the test output
/// folder), configured only through the environment it is given, so a test can kill it at any
/// point as an operator's crash would. Its output is kept line by line (and echoed to the test
/// output when a helper is given). Disposing kills it.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable, IDisposable
{
    private static readonly string[] InheritedConfigurationPrefixes =
        ["SlaWatch__", "ConnectionStrings__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "Urls", "Serilog__", "Logging__"];

    private readonly Process process;
    private readonly ITestOutputHelper? output;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();
    private readonly List<string> lines = [];
    private readonly List<(string Text, TaskCompletionSource<string> Found)> waiters = [];
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int streamsOpen = 2;

    private WorkerProcess(Process process, ITestOutputHelper? output)
    {
        this.process = process;
        this.output = output;
    }

    /// <summary>SlaWatch.Worker.dll beside the test assembly (the test project references the Worker).</summary>
    public static string DefaultWorkerDll => Path.Combine(AppContext.BaseDirectory, "SlaWatch.Worker.dll");

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The exit code once it has exited, else null.</summary>
    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>A copy of every line so far (stdout and stderr, in arrival order).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return [.. lines];
            }
        }
    }

    /// <summary>Everything printed so far, one line each.</summary>
    public string Output => string.Join(Environment.NewLine, Lines);

    /// <summary>
    /// Starts <c>dotnet SlaWatch.Worker.dll [arguments]</c> in the dll's folder with the given
    /// environment; configuration variables inherited from the test process (SlaWatch__*,
    /// ConnectionStrings__*, ASPNETCORE_*, DOTNET_ENVIRONMENT, Urls) are removed first, and
    /// DOTNET_ENVIRONMENT defaults to Development.
    /// </summary>
    public static WorkerProcess Start(
        IReadOnlyDictionary<string, string?> environment,
        ITestOutputHelper? output = null,
        IEnumerable<string>? arguments = null,
        string? workerDll = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var dll = workerDll ?? DefaultWorkerDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The worker is not built at {dll}.", dll);
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var argument in arguments ?? [])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (InheritedConfigurationPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                startInfo.Environment.Remove(key);
            }
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, output);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException("dotnet did not start.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        worker.Echo($"[worker {process.Id}] started: dotnet {dll}");
        return worker;
    }

    /// <summary>
    /// Waits for a line containing <paramref name="contains"/> (ordinal) — also among the lines
    /// already printed — and returns it. Fails with the last lines when the time is up or the
    /// process exits first.
    /// </summary>
    public async Task<string> WaitForLogAsync(string contains, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contains);
        TaskCompletionSource<string> found;
        lock (gate)
        {
            var seen = lines.Find(l => l.Contains(contains, StringComparison.Ordinal));
            if (seen is not null)
            {
                return seen;
            }

            if (streamsOpen == 0)
            {
                throw new InvalidOperationException(Describe($"The worker exited (code {ExitCode}) without printing \"{contains}\"."));
            }

            found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((contains, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Describe($"No line containing \"{contains}\" within {timeout.TotalSeconds:0.#} s."));
        }
        finally
        {
            lock (gate)
            {
                waiters.RemoveAll(w => w.Found == found);
            }
        }
    }

    /// <summary>SIGKILL to the worker and every process it started: a crash, no shutdown code runs.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            Echo($"[worker {process.Id}] SIGKILL");
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>SIGTERM (what systemd or docker stop sends) and wait for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!process.HasExited)
        {
            Echo($"[worker {process.Id}] SIGTERM");
            using var kill = Process.Start(new ProcessStartInfo("kill")
            {
                ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) },
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("kill did not start.");
            await kill.WaitForExitAsync(cancellationToken);
        }

        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Waits until the process has exited and its output is read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Describe($"The worker did not exit within {timeout.TotalSeconds:0.#} s."));
        }

        Echo($"[worker {process.Id}] exited with code {process.ExitCode}");
        return process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Kill();
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (TimeoutException)
        {
            // Reported by the test that waits for it; nothing more to do here.
        }

        process.Dispose();
    }

    private void OnLine(string? line)
    {
        List<TaskCompletionSource<string>> done = [];
        List<TaskCompletionSource<string>> orphaned = [];
        lock (gate)
        {
            if (line is null)
            {
                // One of the two streams closed; after both, nothing more will come.
                if (--streamsOpen == 0)
                {
                    orphaned.AddRange(waiters.Select(w => w.Found));
                    waiters.Clear();
                }
            }
            else
            {
                lines.Add(line);
                foreach (var waiter in waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    done.Add(waiter.Found);
                    waiters.Remove(waiter);
                }
            }
        }

        if (line is not null)
        {
            Echo($"[worker {clock.Elapsed.TotalSeconds,7:0.000}] {line}");
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(line!);
        }

        foreach (var waiter in orphaned)
        {
            waiter.TrySetException(new InvalidOperationException(Describe("The worker exited before printing the awaited line.")));
        }
    }

    private string Describe(string what)
    {
        var tail = Lines.TakeLast(80).ToList();
        var state = process.HasExited ? $"exited with code {process.ExitCode}" : "still running";
        return $"{what} Worker {state}; its last {tail.Count} line(s):{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
    }

    private void Echo(string line)
    {
        if (output is null)
        {
            return;
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test that owned the helper has finished; the line is still in Lines.
        }
    }
}
