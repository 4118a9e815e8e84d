namespace SlaWatch.Benchmarks;

/// <summary>Order statistics for small samples: percentiles by linear interpolation (Hyndman–Fan type 7, as R and NumPy).</summary>
public static class Stats
{
    /// <summary>The <paramref name="percent"/>-th percentile (0–100) of the values; NaN when there are none.</summary>
    public static double Percentile(IEnumerable<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var position = percent / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>The first and third quartiles.</summary>
    public static (double Q1, double Q3) Quartiles(IEnumerable<double> values)
    {
        var list = values.ToList();
        return (Percentile(list, 25), Percentile(list, 75));
    }
}
