using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Channels.Smtp;

/// <summary>
/// One SMTP connection per instance, reused across sends (a new connection per message costs several round trips and a
/// TLS handshake), reconnected when the relay dropped it. Sends are serialised on it.
/// </summary>
public sealed partial class SmtpTransport(IOptions<SmtpOptions> options, TimeProvider time, ILogger<SmtpTransport> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NeverNotifySmtpClient? _client;
    private DateTimeOffset _lastUsed;

    /// <summary>Sends with the configured envelope sender (the bounce address, or the null sender) to exactly one recipient.</summary>
    /// <returns>The relay's response to the message.</returns>
    public async Task<string> SendAsync(MimeMessage message, string recipient, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sender = string.IsNullOrWhiteSpace(settings.BounceAddress)
            ? new MailboxAddress(string.Empty, string.Empty)
            : MailboxAddress.Parse(settings.BounceAddress);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var client = await ConnectedClientAsync(cancellationToken);
            try
            {
                var response = await client.SendAsync(message, sender, [MailboxAddress.Parse(recipient)], cancellationToken);
                _lastUsed = time.GetUtcNow();
                return response;
            }
            catch (Exception ex) when (ex is ServiceNotConnectedException or IOException or SmtpProtocolException)
            {
                // The relay closed an idle connection; one fresh attempt.
                LogReconnecting(logger, ex.Message);
                await DropAsync();
                client = await ConnectedClientAsync(cancellationToken);
                var response = await client.SendAsync(message, sender, [MailboxAddress.Parse(recipient)], cancellationToken);
                _lastUsed = time.GetUtcNow();
                return response;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Connects and authenticates a client to check the relay is reachable (health checks).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var client = await ConnectedClientAsync(cancellationToken);
            await client.NoOpAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<NeverNotifySmtpClient> ConnectedClientAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (_client is { IsConnected: true } && time.GetUtcNow() - _lastUsed < settings.IdleDisconnect)
        {
            return _client;
        }

        await DropAsync();
        var client = new NeverNotifySmtpClient { Timeout = (int)TimeSpan.FromSeconds(60).TotalMilliseconds };
        try
        {
            var port = settings.Port != 0 ? settings.Port : settings.Security == MailSecurity.SslOnConnect ? 465 : 587;
            await client.ConnectAsync(settings.Host, port, MailConnections.ToSocketOptions(settings.Security), cancellationToken);
            var password = SecretReader.Read(settings.Password, settings.PasswordFile);
            if (!string.IsNullOrEmpty(settings.Username) && client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                await client.AuthenticateAsync(settings.Username, password ?? string.Empty, cancellationToken);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        _lastUsed = time.GetUtcNow();
        return client;
    }

    private async Task DropAsync()
    {
        if (_client is null)
        {
            return;
        }

        var client = _client;
        _client = null;
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true);
            }
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException)
        {
            // Closing a broken connection; nothing to do.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropAsync();
        _gate.Dispose();
    }

    [LoggerMessage(EventId = 2050, Level = LogLevel.Information, Message = "SMTP connection lost ({Reason}); reconnecting")]
    private static partial void LogReconnecting(ILogger logger, string reason);

    /// <summary>
    /// Asks for no delivery status notifications (NOTIFY=NEVER) where the relay offers DSN: our automatic mail must not
    /// produce success reports that come back into the inbox (EMAIL.md C).
    /// </summary>
    private sealed class NeverNotifySmtpClient : SmtpClient
    {
        protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
            DeliveryStatusNotification.Never;
    }
}
