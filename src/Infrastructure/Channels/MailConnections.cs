using System.Net;
using MailKit.Net.Imap;
using MailKit.Security;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;

namespace SlaWatch.Infrastructure.Channels;

/// <summary>Opens authenticated IMAP connections with certificate checks on, and the connect timeout honoured.</summary>
public static class MailConnections
{
    public static SecureSocketOptions ToSocketOptions(MailSecurity security) => security switch
    {
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    public static int ImapPort(InboxOptions inbox) =>
        inbox.Port != 0 ? inbox.Port : inbox.Security == MailSecurity.SslOnConnect ? 993 : 143;

    /// <summary>Connects and authenticates; the caller owns (and disposes) the client.</summary>
    public static async Task<ImapClient> ConnectImapAsync(InboxOptions inbox, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = (int)TimeSpan.FromMinutes(2).TotalMilliseconds };
        try
        {
            // MailKit #1186: a connect can hang for good; always bound it.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await client.ConnectAsync(inbox.Host, ImapPort(inbox), ToSocketOptions(inbox.Security), deadline.Token);
            var password = SecretReader.Read(inbox.Password, inbox.PasswordFile) ?? string.Empty;
            await client.AuthenticateAsync(inbox.Username, password, deadline.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
