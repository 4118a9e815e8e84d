namespace SlaWatch.Domain.Messages;

/// <summary>
/// Fits a rendered message into a platform's length limit (Mastodon 500, Telegram 4096). The reference must survive:
/// whole paragraphs are kept from the top while they fit, and the reference (and the status link, when there is one)
/// is appended when the cut removed it, so the customer can always quote it and follow the case.
/// </summary>
public static class PlatformText
{
    public static string Fit(string text, int limit, string reference, string? statusUrl = null, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(prefix);
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (prefix.Length + normalised.Length <= limit)
        {
            return prefix + normalised;
        }

        var tail = statusUrl is null ? reference : $"{reference} {statusUrl}";
        var budget = limit - prefix.Length - tail.Length - 2;
        var kept = new List<string>();
        var used = 0;
        foreach (var paragraph in normalised.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cost = paragraph.Length + (kept.Count == 0 ? 0 : 2);
            if (used + cost > budget)
            {
                break;
            }

            kept.Add(paragraph);
            used += cost;
        }

        if (kept.Count == 0 && budget > 0)
        {
            // Not even the first paragraph fits: cut it at a word boundary.
            var first = normalised[..Math.Min(normalised.Length, budget)];
            var space = first.LastIndexOf(' ');
            kept.Add(space > budget / 2 ? first[..space] : first);
        }

        var body = string.Join("\n\n", kept);
        var result = body.Contains(reference, StringComparison.Ordinal) && (statusUrl is null || body.Contains(statusUrl, StringComparison.Ordinal))
            ? prefix + body
            : prefix + (body.Length == 0 ? tail : body + "\n\n" + tail);
        return result.Length <= limit ? result : result[..limit];
    }
}
