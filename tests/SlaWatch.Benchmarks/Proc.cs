using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SlaWatch.Benchmarks;

/// <summary>CPU and memory figures from /proc (Linux), and running a command to completion.</summary>
public static class Proc
{
    private static readonly Lazy<double> TicksPerSecond = new(ReadClockTicks);

    /// <summary>user + system CPU time of one process (the worker runs in-process under <c>dotnet</c>).</summary>
    public static TimeSpan ProcessCpu(int pid)
    {
        // /proc/<pid>/stat: the command may hold spaces and parentheses; fields resume after the last ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14 and stime field 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond.Value);
    }

    /// <summary>
    /// CPU time of a process and all its descendants, the dead ones included: each live process's own time plus the
    /// time of the children it has reaped (cutime/cstime). PostgreSQL's postmaster and Dovecot's master reap their
    /// backends, so a short-lived connection's CPU stays counted.
    /// </summary>
    public static TimeSpan TreeCpu(int root)
    {
        var parents = new Dictionary<int, int>();
        var times = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                // utime, stime, cutime, cstime: fields 14-17.
                times[pid] = fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // Gone while reading.
            }
        }

        var total = 0L;
        foreach (var (pid, ticks) in times)
        {
            for (var p = pid; p > 1; p = parents.GetValueOrDefault(p))
            {
                if (p == root)
                {
                    total += ticks;
                    break;
                }
            }
        }

        return TimeSpan.FromSeconds(total / TicksPerSecond.Value);
    }

    /// <summary>CPU time the whole machine spent busy (every core; idle and iowait excluded), from /proc/stat.</summary>
    public static TimeSpan MachineBusy()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice: already counted in user/nice]
        var busy = values[0] + values[1] + values[2] + values[5] + values[6] + (values.Length > 7 ? values[7] : 0);
        return TimeSpan.FromSeconds(busy / TicksPerSecond.Value);
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in bytes (VmRSS, VmHWM), or null when absent.</summary>
    public static long? MemoryBytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    /// <summary>Runs a program to completion (killed after <paramref name="timeout"/>); stdout and stderr as text.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{file} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', startInfo.ArgumentList)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    private static double ReadClockTicks()
    {
        // sysconf(_SC_CLK_TCK) without P/Invoke; 100 on every Linux this runs on.
        try
        {
            var (code, output, _) = RunAsync("getconf", ["CLK_TCK"], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            if (code == 0 && double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ticks) && ticks > 0)
            {
                return ticks;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // getconf missing: fall through.
        }

        return 100;
    }
}
