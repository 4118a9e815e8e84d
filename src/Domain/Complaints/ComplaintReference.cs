using System.Globalization;
using System.Text.RegularExpressions;

namespace SlaWatch.Domain.Complaints;

/// <summary>The human reference of a complaint, e.g. <c>SW-2026-000123</c>: what the customer quotes and the subject carries.</summary>
public static partial class ComplaintReference
{
    public static string Format(int year, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"SW-{year:D4}-{number:D6}");

    /// <summary>Every reference found in a subject line, in order.</summary>
    public static IReadOnlyList<string> FindAll(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        return ReferencePattern().Matches(text).Select(m => m.Value.ToUpperInvariant()).Distinct().ToList();
    }

    [GeneratedRegex(@"\bSW-\d{4}-\d{6,}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex ReferencePattern();
}
