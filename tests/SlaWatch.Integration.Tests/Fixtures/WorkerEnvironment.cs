using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace SlaWatch.Integration.Tests.Fixtures;

/// <summary>The environment variables (configuration contract keys of PRODUCT.md) a worker runs with.</summary>
public static class WorkerEnvironment
{
    /// <summary>
    /// One IMAP inbox against the fixture's servers: Dovecot for the mailbox, the relay for SMTP,
    /// the given database, HTTP on a free loopback port. The dictionary is the test's to extend,
    /// e.g. <c>env["SlaWatch__Inboxes__0__UseIdle"] = "false"</c>.
    /// </summary>
    public static Dictionary<string, string?> ForInbox(
        ServersFixture servers,
        string connectionString,
        string supportAddress,
        string inboxName = "support",
        string defaultLanguage = "en",
        string? bounceAddress = "bounces@example.test")
    {
        ArgumentNullException.ThrowIfNull(servers);
        var url = $"http://127.0.0.1:{FreeTcpPort().ToString(CultureInfo.InvariantCulture)}";
        const string inbox = "SlaWatch__Inboxes__0__";
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__SlaWatch"] = connectionString,
            ["Urls"] = url,
            ["SlaWatch__PublicBaseUrl"] = url,
            ["SlaWatch__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            [inbox + "Name"] = inboxName,
            [inbox + "Channel"] = "Imap",
            [inbox + "Host"] = ServersFixture.Host,
            [inbox + "Port"] = servers.ImapPort.ToString(CultureInfo.InvariantCulture),
            [inbox + "Security"] = "None",
            [inbox + "Username"] = supportAddress,
            [inbox + "Password"] = servers.MailPassword,
            [inbox + "Address"] = supportAddress,
            [inbox + "Folder"] = "INBOX",
            [inbox + "SentFolder"] = "Sent",
            [inbox + "DefaultLanguage"] = defaultLanguage,
            ["SlaWatch__Smtp__Host"] = ServersFixture.Host,
            ["SlaWatch__Smtp__Port"] = servers.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["SlaWatch__Smtp__Security"] = "None",
        };
        if (bounceAddress is not null)
        {
            environment["SlaWatch__Smtp__BounceAddress"] = bounceAddress;
        }

        return environment;
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
