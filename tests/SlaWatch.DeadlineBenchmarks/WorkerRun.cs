using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace SlaWatch.DeadlineBenchmarks;

/// <summary>The built worker (SlaWatch.Worker.dll beside this program) as a child process; output goes to a log file.</summary>
public sealed class WorkerRun : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private WorkerRun(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
    }

    public static string WorkerDll => Path.Combine(AppContext.BaseDirectory, "SlaWatch.Worker.dll");

    /// <summary>One IMAP inbox on Dovecot, the SMTP relay, the database; as the integration tests' WorkerEnvironment.</summary>
    public static Dictionary<string, string> Environment(Servers servers, string connectionString, string supportAddress)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var url = $"http://127.0.0.1:{FreeTcpPort().ToString(CultureInfo.InvariantCulture)}";
        const string inbox = "SlaWatch__Inboxes__0__";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__SlaWatch"] = connectionString,
            ["Urls"] = url,
            ["SlaWatch__PublicBaseUrl"] = url,
            ["SlaWatch__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [inbox + "Name"] = "support",
            [inbox + "Channel"] = "Imap",
            [inbox + "Host"] = Servers.Host,
            [inbox + "Port"] = servers.ImapPort.ToString(CultureInfo.InvariantCulture),
            [inbox + "Security"] = "None",
            [inbox + "Username"] = supportAddress,
            [inbox + "Password"] = servers.MailPassword,
            [inbox + "Address"] = supportAddress,
            [inbox + "Folder"] = "INBOX",
            [inbox + "SentFolder"] = "Sent",
            [inbox + "DefaultLanguage"] = "en",
            ["SlaWatch__Smtp__Host"] = Servers.Host,
            ["SlaWatch__Smtp__Port"] = servers.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["SlaWatch__Smtp__Security"] = "None",
            ["SlaWatch__Smtp__BounceAddress"] = "bounces@example.test",
        };
    }

    public static WorkerRun Start(IReadOnlyDictionary<string, string> environment, string logPath, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(WorkerDll);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("SlaWatch__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the worker.");
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerRun(process, log);
    }

    public bool HasExited => process.HasExited;

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        log.Dispose();
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
