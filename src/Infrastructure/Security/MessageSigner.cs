using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;

namespace SlaWatch.Infrastructure.Security;

/// <summary>HMAC-SHA256 with the shared signing key: deterministic Message-IDs today, signed links tomorrow.</summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    public MessageSigner(IOptions<SlaWatchOptions> options)
    {
        var secret = SecretReader.Read(options.Value.SigningKey, options.Value.SigningKeyFile)
            ?? throw new InvalidOperationException("SlaWatch:SigningKey is not set.");
        _key = Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>Lower-case hex of the HMAC of <paramref name="data"/>, cut to <paramref name="hexLength"/> characters.</summary>
    public string Sign(string data, int hexLength = 16)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(data));
        return Convert.ToHexStringLower(mac)[..hexLength];
    }

    /// <summary>The Message-ID (without brackets) of the acknowledgement of a complaint: the same on every attempt and instance.</summary>
    public string AcknowledgementMessageId(long complaintId, string domain) =>
        $"ack.{complaintId}.{Sign($"ack:{complaintId}")}@{domain}";
}
