using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace SlaWatch.Benchmarks;

/// <summary>
/// The built worker as a child process, <c>dotnet SlaWatch.Worker.dll</c> from the benchmark's own output folder,
/// configured only through its environment (as the integration fixture WorkerProcess does, without xunit). Every line
/// it prints goes to a log file; a caller can wait for a line and learn when it arrived.
/// </summary>
public sealed class BenchWorker : IAsyncDisposable
{
    private static readonly string[] InheritedConfigurationPrefixes =
        ["SlaWatch__", "ConnectionStrings__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "Urls", "Serilog__", "Logging__"];

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock gate = new();
    private readonly Queue<string> tail = new();
    private readonly List<(string Text, TaskCompletionSource<long> Found)> waiters = [];
    private readonly Dictionary<string, long> seen = new(StringComparer.Ordinal);
    private int streamsOpen = 2;

    private BenchWorker(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Lines at level ERR or FTL so far.</summary>
    public int ErrorLines { get; private set; }

    /// <summary>Lines at level WRN so far.</summary>
    public int WarningLines { get; private set; }

    /// <summary>
    /// The worker's environment for one IMAP inbox on the benchmark's servers (the keys of
    /// tests/SlaWatch.Integration.Tests/Fixtures/WorkerEnvironment.cs), HTTP on a free loopback port.
    /// </summary>
    public static Dictionary<string, string?> Environment(BenchServers servers, string connectionString, string supportAddress)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var url = $"http://127.0.0.1:{FreeTcpPort().ToString(CultureInfo.InvariantCulture)}";
        const string inbox = "SlaWatch__Inboxes__0__";
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__SlaWatch"] = connectionString,
            ["Urls"] = url,
            ["SlaWatch__PublicBaseUrl"] = url,
            ["SlaWatch__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [inbox + "Name"] = "support",
            [inbox + "Channel"] = "Imap",
            [inbox + "Host"] = BenchServers.Host,
            [inbox + "Port"] = servers.ImapPort.ToString(CultureInfo.InvariantCulture),
            [inbox + "Security"] = "None",
            [inbox + "Username"] = supportAddress,
            [inbox + "Password"] = servers.MailPassword,
            [inbox + "Address"] = supportAddress,
            [inbox + "Folder"] = "INBOX",
            [inbox + "SentFolder"] = "Sent",
            [inbox + "DefaultLanguage"] = "en",
            ["SlaWatch__Smtp__Host"] = BenchServers.Host,
            ["SlaWatch__Smtp__Port"] = servers.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["SlaWatch__Smtp__Security"] = "None",
            ["SlaWatch__Smtp__BounceAddress"] = "bounces@bench.test",
        };
    }

    private const string PassThroughPrefix = "SW_BENCH_WORKER__";

    public static BenchWorker Start(IReadOnlyDictionary<string, string?> environment, string logPath)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // ops/bench.sh publishes the worker the way the Dockerfile does and names the folder here; without it, the build
        // output beside the benchmark is used.
        var directory = System.Environment.GetEnvironmentVariable("SW_BENCH_WORKER_DIR") is { Length: > 0 } published ? published : AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "SlaWatch.Worker.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The worker is not built at {dll}.", dll);
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (InheritedConfigurationPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                startInfo.Environment.Remove(key);
            }
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        // SW_BENCH_WORKER__<key>=<value> in the benchmark's own environment reaches the worker as <key>=<value>,
        // e.g. a Serilog level override to see the per-batch timing lines during a run.
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith(PassThroughPrefix, StringComparison.Ordinal) && key.Length > PassThroughPrefix.Length)
            {
                startInfo.Environment[key[PassThroughPrefix.Length..]] = (string?)entry.Value;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: false, Encoding.UTF8);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var worker = new BenchWorker(process, log);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data);
        if (!process.Start())
        {
            process.Dispose();
            log.Dispose();
            throw new InvalidOperationException("dotnet did not start.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Console.Error.WriteLine($"[bench] worker pid {process.Id}, log {logPath}");
        return worker;
    }

    /// <summary>Waits for a line containing <paramref name="contains"/>; returns the <see cref="Stopwatch"/> timestamp of its arrival.</summary>
    public async Task<long> WaitForLineAsync(string contains, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<long> found;
        lock (gate)
        {
            if (seen.TryGetValue(contains, out var at))
            {
                return at;
            }

            if (streamsOpen == 0)
            {
                throw new InvalidOperationException(Describe($"The worker exited without printing \"{contains}\"."));
            }

            found = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((contains, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Describe($"No line containing \"{contains}\" within {timeout.TotalSeconds:0} s."));
        }
    }

    /// <summary>SIGTERM (what a supervisor sends) and wait; returns the exit code, or null if it had to be killed.</summary>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            await Proc.RunAsync("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
            return process.ExitCode;
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return null;
        }
    }

    /// <summary>Describes the state and the last lines, for an error message.</summary>
    public string Describe(string what)
    {
        lock (gate)
        {
            var state = process.HasExited ? $"exited with code {process.ExitCode}" : "still running";
            return $"{what} Worker {state}; its last {tail.Count} line(s):{System.Environment.NewLine}{string.Join(System.Environment.NewLine, tail)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (TimeoutException)
        {
            // Nothing more to do.
        }

        process.Dispose();
        lock (gate)
        {
            log.Dispose();
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnLine(string? line)
    {
        var now = Stopwatch.GetTimestamp();
        List<TaskCompletionSource<long>> done = [];
        List<TaskCompletionSource<long>> orphaned = [];
        lock (gate)
        {
            if (line is null)
            {
                if (--streamsOpen == 0)
                {
                    orphaned.AddRange(waiters.Select(w => w.Found));
                    waiters.Clear();
                    log.Flush();
                }
            }
            else
            {
                log.WriteLine(line);
                tail.Enqueue(line);
                if (tail.Count > 60)
                {
                    tail.Dequeue();
                }

                if (line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal))
                {
                    ErrorLines++;
                }
                else if (line.Contains(" WRN]", StringComparison.Ordinal))
                {
                    WarningLines++;
                }

                foreach (var waiter in waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    seen.TryAdd(waiter.Text, now);
                    done.Add(waiter.Found);
                    waiters.Remove(waiter);
                }

                if (line.Contains("watching folder", StringComparison.Ordinal))
                {
                    seen.TryAdd("watching folder", now);
                }
            }
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(now);
        }

        foreach (var waiter in orphaned)
        {
            waiter.TrySetException(new InvalidOperationException(Describe("The worker exited before printing the awaited line.")));
        }
    }
}
