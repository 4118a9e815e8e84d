namespace SlaWatch.Domain.Mail;

/// <summary>
/// A conservative check that an address is one an automatic answer may go to (EMAIL.md A16): <c>local@domain</c>,
/// one <c>@</c>, a dotted domain of letters, digits and hyphens (internationalized letters allowed), no spaces or
/// control characters. Stricter than RFC 5322 on purpose: when in doubt, we do not answer.
/// </summary>
public static class MailAddressSyntax
{
    public static bool IsValid(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 254)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.IndexOf('@', StringComparison.Ordinal) != at)
        {
            return false;
        }

        return IsValidLocalPart(address[..at]) && IsValidDomain(address[(at + 1)..]);
    }

    private static bool IsValidLocalPart(string local)
    {
        if (local.Length > 64 || local.StartsWith('.') || local.EndsWith('.')
            || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            var allowed = char.IsLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal);
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidDomain(string domain)
    {
        var labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-'))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
