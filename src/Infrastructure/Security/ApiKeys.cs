using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Security;

/// <summary>
/// API keys: <c>sw_</c> and 32 random bytes in base64url; configuration holds only <c>sha256:</c> and the lower-case
/// hex SHA-256 of a key.
/// </summary>
/// <remarks>
/// A fast hash is the right one here. Slow password hashes (PBKDF2, bcrypt, Argon2) exist to make guessing a
/// low-entropy password from its hash expensive; a key of 256 random bits cannot be guessed from its hash at any
/// speed, so stretching would only add latency to every request. The same reasoning is behind GitHub's and Stripe's
/// token storage.
/// </remarks>
public static class ApiKeys
{
    public const string KeyPrefix = "sw_";
    public const string HashPrefix = "sha256:";
    private const int KeyBytes = 32;
    private const int HashHexLength = 64;
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>A new key from the operating system's CSPRNG, e.g. <c>sw_3q2-…</c> (46 characters).</summary>
    public static string Generate() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The configured form of <paramref name="key"/>: <c>sha256:</c> + 64 lower-case hex digits.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Whether <paramref name="hash"/> has the shape <see cref="Hash"/> produces (hex digits in either case).</summary>
    public static bool IsWellFormedHash(string? hash) => TryDecodeHash(hash, out _);

    /// <summary>Whether <paramref name="key"/> hashes to <paramref name="hash"/>, compared in constant time.</summary>
    public static bool Verify(string key, string? hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!TryDecodeHash(hash, out var expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key)), expected);
    }

    /// <summary>
    /// The configured key that <paramref name="presented"/> is, or null. Every configured hash is compared (in constant
    /// time), so the time taken says nothing about which key nearly matched or where it sits in the list.
    /// </summary>
    public static ApiKeyOptions? Find(IReadOnlyList<ApiKeyOptions> keys, string presented)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(presented);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyOptions? match = null;
        foreach (var key in keys)
        {
            if (TryDecodeHash(key.Hash, out var expected) && CryptographicOperations.FixedTimeEquals(digest, expected) && match is null)
            {
                match = key;
            }
        }

        return match;
    }

    private static bool TryDecodeHash(string? hash, out byte[] digest)
    {
        digest = [];
        if (hash is null
            || hash.Length != HashPrefix.Length + HashHexLength
            || !hash.StartsWith(HashPrefix, StringComparison.Ordinal)
            || hash.AsSpan(HashPrefix.Length).ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        digest = Convert.FromHexString(hash.AsSpan(HashPrefix.Length));
        return true;
    }
}
