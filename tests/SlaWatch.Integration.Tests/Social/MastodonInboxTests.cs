using System.Net;
using System.Text.Json.Nodes;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>
/// A Mastodon account inbox on the real worker and PostgreSQL, against a local stand-in of the instance: mentions as
/// complaints, the apology as a reply with the @mention and an Idempotency-Key, min_id paging, duplicates, staff
/// replies from the account's own statuses, rate limits and server errors.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class MastodonInboxTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    internal static void AddMastodonInbox(EmailHarness harness, FakeMastodon mastodon, string name = "mastodon")
    {
        const string inbox = "SlaWatch__Inboxes__1__";
        harness.Environment[inbox + "Name"] = name;
        harness.Environment[inbox + "Channel"] = "Mastodon";
        harness.Environment[inbox + "AccessToken"] = FakeMastodon.AccessToken;
        harness.Environment[inbox + "BaseUrl"] = mastodon.BaseUrl;
        harness.Environment[inbox + "PollInterval"] = "00:00:01";
        harness.Environment[inbox + "DefaultLanguage"] = "en";
    }

    private async Task<(EmailHarness Harness, FakeMastodon Mastodon)> StartAsync()
    {
        var harness = await EmailHarness.CreateAsync(servers, output);
        var mastodon = await FakeMastodon.StartAsync();
        AddMastodonInbox(harness, mastodon);
        return (harness, mastodon);
    }

    private static async Task<JsonObject> WaitForPostAsync(EmailHarness harness, FakeMastodon mastodon, string inReplyTo)
    {
        JsonObject? found = null;
        await harness.WaitUntilAsync($"a reply to status {inReplyTo}", () =>
        {
            found = mastodon.Posted.FirstOrDefault(s => s["in_reply_to_id"]?.GetValue<string>() == inReplyTo);
            return Task.FromResult(found is not null);
        }, Wait);
        return found!;
    }

    [Fact]
    public async Task DirectMention_ApologyInTheCustomersLanguage_DirectWithTheMentionAndIdempotencyKey()
    {
        var (harness, mastodon) = await StartAsync();
        await using var _ = harness;
        await using var __ = mastodon;
        // Mastodon 4.5's documented policy shape; private mentions from strangers are dropped before they exist.
        mastodon.Policy = new JsonObject { ["for_not_following"] = "accept", ["for_not_followers"] = "accept", ["for_new_accounts"] = "filter", ["for_private_mentions"] = "drop", ["for_limited_accounts"] = "filter" };
        var status = mastodon.AddMention("klant@example.social", "Mijn bestelling is al twee weken onderweg en niemand reageert op mijn e-mails. Wat is er aan de hand?", visibility: "direct");
        var worker = await harness.StartWorkerAsync();

        var reply = await WaitForPostAsync(harness, mastodon, status["id"]!.GetValue<string>());

        Assert.Contains("drops notifications (for_private_mentions)", worker.Output, StringComparison.Ordinal);
        var complaint = (await harness.RowsAsync("SELECT reference, channel, customer_address, language, received_at FROM complaints WHERE inbox = 'mastodon'")).Single();
        Assert.Equal("Mastodon", complaint["channel"]);
        Assert.Equal("klant@example.social", complaint["customer_address"]);
        Assert.Equal("nl", complaint["language"]);
        Assert.Equal(DateTimeOffset.Parse(status["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), new DateTimeOffset((DateTime)complaint["received_at"]!));
        Assert.Equal("direct", reply["visibility"]!.GetValue<string>());
        var attempt = mastodon.PostAttempts.Single();
        var text = attempt.Body["status"]!.GetValue<string>();
        Assert.StartsWith("@klant@example.social ", text, StringComparison.Ordinal);
        Assert.True(text.Length <= 500, $"{text.Length} characters");
        Assert.Contains((string)complaint["reference"]!, text, StringComparison.Ordinal);
        Assert.Contains("spijt", text, StringComparison.OrdinalIgnoreCase);
        // The status page carries what 500 characters cannot.
        Assert.NotEmpty(Progress.ProgressKit.StatusLink(text));
        Assert.Equal(await harness.ScalarAsync<string>("SELECT message_id FROM outbox WHERE channel = 'Mastodon'"), attempt.IdempotencyKey);
        Assert.All(mastodon.NotificationCalls, call => Assert.Contains("include_filtered=true", call.Query, StringComparison.Ordinal));
        Assert.All(mastodon.NotificationCalls, call => Assert.Contains("types[]=mention", Uri.UnescapeDataString(call.Query), StringComparison.Ordinal));
        // SlaWatch's own reply comes back among the account's statuses and is recognised as its own.
        await harness.WaitForCountAsync("SlaWatch's reply seen as its own", "SELECT count(*) FROM social_messages WHERE classification = 'OwnReply'", 1, Wait);
        Assert.Null(await harness.ScalarAsync<DateTime?>("SELECT responded_at FROM complaints"));
    }

    [Fact]
    public async Task BurstOfThreePages_FollowUpsAndADuplicateDelivery_NothingLostNothingTwice()
    {
        var (harness, mastodon) = await StartAsync();
        await using var _ = harness;
        await using var __ = mastodon;
        await harness.StartWorkerAsync();
        await harness.WaitForCountAsync("the first poll", "SELECT count(*) FROM channel_cursors WHERE inbox = 'mastodon'", 1, Wait);

        // 170 mentions between two polls: pages of 80, 80 and 10 above the cursor.
        var firsts = new[] { "ana@example.social", "bo@other.example", "cy" }.Select(acct => (acct, mastodon.AddMention(acct, $"Hello, my order never arrived. ({acct})"))).ToList();
        for (var i = 0; i < 167; i++)
        {
            var (acct, first) = firsts[i % 3];
            mastodon.AddMention(acct, $"Any news? This is message {i}.", inReplyTo: first["id"]!.GetValue<string>());
        }

        await harness.WaitForCountAsync("recorded mentions", "SELECT count(*) FROM social_messages WHERE role = 'Customer' AND status = 'Processed'", 170, Wait);
        mastodon.RedeliverOnce = true;
        var last = mastodon.AddMention("cy", "Still nothing.", inReplyTo: firsts[2].Item2["id"]!.GetValue<string>());
        await harness.WaitForCountAsync("recorded mentions", "SELECT count(*) FROM social_messages WHERE role = 'Customer' AND status = 'Processed'", 171, Wait);

        Assert.Equal(3L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE channel = 'Mastodon'"));
        Assert.Equal(168L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages WHERE classification = 'FollowUp'"));
        Assert.Equal(3L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE channel = 'Mastodon'"));
        Assert.Equal(last["id"]!.GetValue<string>(), await harness.ScalarAsync<string>("SELECT platform_id FROM social_messages WHERE role = 'Customer' ORDER BY sent_at DESC, id DESC LIMIT 1"));
        await harness.WaitUntilAsync("three replies posted", () => Task.FromResult(mastodon.Posted.Count == 3), Wait);
    }

    [Fact]
    public async Task StaffReplyFromTheAccount_StopsTheClock_SlaWatchsOwnReplyDoesNot()
    {
        var (harness, mastodon) = await StartAsync();
        await using var _ = harness;
        await using var __ = mastodon;
        var answered = mastodon.AddMention("answered@example.social", "The app charges me twice.", visibility: "direct");
        var waiting = mastodon.AddMention("waiting@example.social", "The app logs me out all the time.", visibility: "direct");
        await harness.StartWorkerAsync();
        await WaitForPostAsync(harness, mastodon, answered["id"]!.GetValue<string>());
        await WaitForPostAsync(harness, mastodon, waiting["id"]!.GetValue<string>());
        await harness.WaitForCountAsync("SlaWatch's two replies seen as its own", "SELECT count(*) FROM social_messages WHERE classification = 'OwnReply'", 2, Wait);

        var staff = mastodon.AddStaffReply(answered["id"]!.GetValue<string>(), "@answered@example.social Sorry! The second charge is refunded today.");

        await harness.WaitForCountAsync("the staff reply", "SELECT count(*) FROM social_messages WHERE classification = 'StaffReply'", 1, Wait);
        var rows = await harness.RowsAsync("SELECT customer_address, status, responded_at FROM complaints ORDER BY customer_address");
        Assert.Equal("Responded", rows[0]["status"]);
        Assert.Equal(DateTimeOffset.Parse(staff["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), new DateTimeOffset((DateTime)rows[0]["responded_at"]!));
        Assert.Equal("Open", rows[1]["status"]);
        Assert.Null(rows[1]["responded_at"]);
    }

    [Fact]
    public async Task RateLimitAndServerErrors_BackOffAndRecover_OnePostUnderOneKey()
    {
        var (harness, mastodon) = await StartAsync();
        await using var _ = harness;
        await using var __ = mastodon;
        mastodon.NotificationFaults.Enqueue(HttpStatusCode.TooManyRequests);
        mastodon.NotificationFaults.Enqueue(HttpStatusCode.ServiceUnavailable);
        mastodon.PostFaults.Enqueue(HttpStatusCode.BadGateway);
        var status = mastodon.AddMention("patient@example.social", "Nobody answers the phone, this is the third day.");
        var worker = await harness.StartWorkerAsync();

        var reply = await WaitForPostAsync(harness, mastodon, status["id"]!.GetValue<string>());

        var calls = mastodon.NotificationCalls.ToList();
        Assert.True(calls.Count >= 3, $"{calls.Count} notification polls");
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(1), $"polled again {(calls[1].At - calls[0].At).TotalSeconds:F1} s after a 429 whose reset was 2 s away");
        Assert.Contains("rate limited", worker.Output, StringComparison.Ordinal);
        Assert.Equal("unlisted", reply["visibility"]!.GetValue<string>());
        var attempts = mastodon.PostAttempts.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].IdempotencyKey, attempts[1].IdempotencyKey);
        Assert.Single(mastodon.Posted);
    }
}
