namespace SlaWatch.DeadlineBenchmarks;

/// <summary>The workload sizes; <c>--quick</c> shrinks them for a smoke run (its figures are not the benchmark's).</summary>
public sealed record Options(
    bool Quick,
    int OpenComplaints,
    int Uniform,
    int Burst,
    TimeSpan Lead,
    TimeSpan Window,
    int AnchorUniform,
    int AnchorBurst,
    TimeSpan AnchorWindow,
    int[] B4Sizes,
    int B4Runs)
{
    public static Options Full { get; } = new(false, 100_000, 10_000, 2_000, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10),
        2_000, 500, TimeSpan.FromMinutes(2), [10_000, 100_000, 1_000_000], 200);

    public static Options QuickRun { get; } = new(true, 5_000, 500, 100, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40),
        100, 50, TimeSpan.FromSeconds(20), [1_000, 10_000], 20);
}
