using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace SlaWatch.Infrastructure.Security;

/// <summary>
/// Compact, URL-safe, expiring capability tokens <c>purpose.id.expiryUnix.signature</c>: the alert-acknowledge link
/// now, the customer's status page later. The signature is the full HMAC-SHA256 (base64url, 43 characters) of
/// <c>token:purpose.id.expiryUnix</c> with the shared signing key, so every instance accepts every instance's links.
/// </summary>
/// <remarks>
/// Nothing is stored: a token is valid because we signed it, until it expires. The purpose is inside the signature,
/// so a status-page token cannot acknowledge an alert. The <c>token:</c> prefix keeps these signatures apart from
/// the signer's other uses (Message-IDs sign <c>ack:…</c>).
/// </remarks>
public sealed class SignedTokens(MessageSigner signer)
{
    /// <summary>The purpose of the alert-acknowledge link.</summary>
    public const string AlertAcknowledge = "alert-ack";

    private const int SignatureBytes = 32;

    // Purposes and ids become parts of a URL path and must not contain the separator.
    private static readonly SearchValues<char> PurposeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A token for <paramref name="id"/> that <see cref="Validate"/> accepts for <paramref name="purpose"/> until <paramref name="expiresAt"/>.</summary>
    /// <param name="purpose">Lower-case letters, digits and hyphens, e.g. <c>alert-ack</c>.</param>
    /// <param name="id">Letters, digits, hyphens and underscores, e.g. an alert id or a complaint reference.</param>
    /// <param name="expiresAt">Kept to the whole second (rounded down).</param>
    public string Create(string purpose, string id, DateTimeOffset expiresAt)
    {
        if (!IsPurpose(purpose))
        {
            throw new ArgumentException($"'{purpose}' is not a token purpose: use lower-case letters, digits and hyphens.", nameof(purpose));
        }

        if (!IsId(id))
        {
            throw new ArgumentException($"'{id}' cannot be carried in a token: use letters, digits, hyphens and underscores.", nameof(id));
        }

        var payload = string.Create(CultureInfo.InvariantCulture, $"{purpose}.{id}.{expiresAt.ToUnixTimeSeconds()}");
        return payload + "." + Base64Url.EncodeToString(Signature(payload));
    }

    /// <summary>
    /// The id the token carries if it is genuine, made for <paramref name="purpose"/> and not yet expired at
    /// <paramref name="now"/>; else why not. A token that does not parse counts as tampered.
    /// </summary>
    public TokenValidation Validate(string purpose, string? token, DateTimeOffset now)
    {
        var parts = token?.Split('.');
        if (token is null
            || parts is not { Length: 4 }
            || !IsPurpose(parts[0])
            || !IsId(parts[1])
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expiry)
            || parts[3].Length != Base64Url.GetEncodedLength(SignatureBytes))
        {
            return TokenValidation.Fail(TokenProblem.Tampered);
        }

        var presented = new byte[SignatureBytes];
        if (!Base64Url.TryDecodeFromChars(parts[3], presented, out var written) || written != SignatureBytes)
        {
            return TokenValidation.Fail(TokenProblem.Tampered);
        }

        var payload = token[..token.LastIndexOf('.')];
        if (!CryptographicOperations.FixedTimeEquals(Signature(payload), presented))
        {
            return TokenValidation.Fail(TokenProblem.Tampered);
        }

        // Only a genuine token gets a more specific answer than "tampered".
        if (!string.Equals(parts[0], purpose, StringComparison.Ordinal))
        {
            return TokenValidation.Fail(TokenProblem.WrongPurpose);
        }

        if (now.ToUnixTimeSeconds() >= expiry)
        {
            return TokenValidation.Fail(TokenProblem.Expired);
        }

        return new TokenValidation(parts[1], TokenProblem.None);
    }

    private byte[] Signature(string payload) => Convert.FromHexString(signer.Sign("token:" + payload, hexLength: SignatureBytes * 2));

    private static bool IsPurpose(string? value) => !string.IsNullOrEmpty(value) && !value.AsSpan().ContainsAnyExcept(PurposeChars);

    private static bool IsId(string? value) => !string.IsNullOrEmpty(value) && value.Length <= 100 && !value.AsSpan().ContainsAnyExcept(IdChars);
}

public enum TokenProblem
{
    None,

    /// <summary>Not a token we made: altered, truncated, or signed with another key.</summary>
    Tampered,

    /// <summary>Genuine, but past its expiry.</summary>
    Expired,

    /// <summary>Genuine, but made for something else (a status-page token used to acknowledge an alert).</summary>
    WrongPurpose,
}

/// <summary>The outcome of <see cref="SignedTokens.Validate"/>: the id when valid, else the problem.</summary>
public sealed record TokenValidation(string? Id, TokenProblem Problem)
{
    public bool IsValid => Problem == TokenProblem.None;

    internal static TokenValidation Fail(TokenProblem problem) => new(null, problem);
}
