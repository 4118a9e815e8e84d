using System.Diagnostics;
using System.Text;

namespace SlaWatch.Integration.Tests.Fixtures;

/// <summary>The outcome of one run of a script: its exit code and everything it printed.</summary>
public sealed record ScriptResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed);

/// <summary>Runs the ops scripts with bash and captures their output.</summary>
public static class ShellScript
{
    /// <summary>Runs <c>bash script args…</c>; returns when it exits (killed after <paramref name="timeout"/>).</summary>
    public static async Task<ScriptResult> RunAsync(string script, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start bash {script}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException(
                $"bash {script} {string.Join(' ', startInfo.ArgumentList.Skip(1))} did not finish within {timeout}.{Environment.NewLine}"
                + $"stdout:{Environment.NewLine}{await stdout}{Environment.NewLine}stderr:{Environment.NewLine}{await stderr}");
        }

        return new ScriptResult(process.ExitCode, await stdout, await stderr, stopwatch.Elapsed);
    }
}
