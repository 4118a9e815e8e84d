using System.Globalization;
using System.Text.RegularExpressions;
using SlaWatch.Domain.Languages;
using SlaWatch.Domain.Messages;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Progress;

/// <summary>A complaint in a customer's mailbox, the updates they receive, and the API calls that cause them.</summary>
internal static partial class ProgressKit
{
    public static readonly TimeSpan MailWait = TimeSpan.FromSeconds(60);

    /// <summary>Sends a complaint, waits for its acknowledgement, and returns its reference and the customer's Message-ID.</summary>
    public static async Task<(string Reference, string MessageId)> ComplainAsync(EmailHarness harness, string customer, string subject, string body)
    {
        var message = harness.Complaint(customer, subject, body);
        await harness.SendAsync(message);
        await harness.WaitForAcknowledgementsAsync(customer);
        var reference = await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = @c", ("c", customer));
        return (reference!, message.MessageId!);
    }

    /// <summary>The updates (Auto-Submitted: auto-generated) a customer received, waiting for <paramref name="count"/>.</summary>
    public static Task<IReadOnlyList<MailboxMessage>> UpdatesAsync(EmailHarness harness, string customer, int count = 1, TimeSpan? timeout = null) =>
        harness.Mail.WaitForAsync(customer, "INBOX", m => m.Header("Auto-Submitted") == "auto-generated", count, timeout ?? MailWait);

    public static async Task<HttpResponseMessage> SetPromiseAsync(HttpClient client, string key, string reference, DateTimeOffset dueAt, int? marginDays = null)
    {
        var margin = marginDays is { } days ? $",\"marginDays\":{days.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        var response = await client.SendAsync(Request(HttpMethod.Put, $"api/complaints/{reference}/promise", key, $$"""{"dueAt":"{{dueAt.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}}"{{margin}}}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return response;
    }

    /// <summary>A promised date at noon UTC some whole days from today (no calendar is configured: the team's zone is UTC).</summary>
    public static DateTimeOffset NoonInDays(int days)
    {
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.Date;
        return new DateTimeOffset(today.AddDays(days).AddHours(12), TimeSpan.Zero);
    }

    public static string DateIn(string language, DateTimeOffset instant) =>
        PromiseWording.Date(LanguageCode.Parse(language), PromiseWording.LocalDate(instant, null));

    public static string StatusLink(string? body) => StatusLinkPattern().Match(body ?? string.Empty).Value;

    [GeneratedRegex(@"https?://\S+/status/\S+")]
    private static partial Regex StatusLinkPattern();

    public static async Task<(EmailHarness Harness, string Key, HttpClient Client)> StartAsync(ServersFixture servers, Xunit.Abstractions.ITestOutputHelper output, Action<EmailHarness>? configure = null)
    {
        var harness = await EmailHarness.CreateAsync(servers, output);
        var key = AddKey(harness, "alice", "agent");
        configure?.Invoke(harness);
        var client = await Api.ApiTestKit.StartAsync(harness, waitForInbox: true);
        return (harness, key, client);
    }
}
