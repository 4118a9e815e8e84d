using SlaWatch.Integration.Tests.Fixtures;
using SlaWatch.Integration.Tests.Progress;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>Updates to a customer who complained on a social platform go back on that platform, not by email.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class SocialProgressTests(ServersFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TelegramComplaint_PromiseSetAndResolved_BothGoIntoTheChatAsRepliesWithTheDateAndStatusLink()
    {
        await using var telegram = await FakeTelegram.StartAsync();
        var (harness, key, client) = await ProgressKit.StartAsync(servers, output, h => TelegramInboxTests.AddTelegramInbox(h, telegram));
        await using var _ = harness;
        using var __ = client;
        const long chat = 5557001;
        var message = telegram.AddMessage(chat, "I have been waiting for my refund for a month and nobody answers my emails. Please help me.");

        await harness.WaitUntilAsync("the apology in the chat", () => Task.FromResult(telegram.Sent.Count(s => s["chat_id"]!.GetValue<long>() == chat) == 1), Wait);
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE channel = 'Telegram'"))!;
        var due = ProgressKit.NoonInDays(4);
        using var promised = await ProgressKit.SetPromiseAsync(client, key, reference, due, marginDays: 1);
        Assert.True(promised.IsSuccessStatusCode, await promised.Content.ReadAsStringAsync());
        await harness.WaitUntilAsync("the promise in the chat", () => Task.FromResult(telegram.Sent.Count(s => s["chat_id"]!.GetValue<long>() == chat) == 2), Wait);
        using var resolved = await client.SendAsync(Api.ApiTestKit.Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", key, """{"note":"refunded"}"""));
        Assert.True(resolved.IsSuccessStatusCode, await resolved.Content.ReadAsStringAsync());
        await harness.WaitUntilAsync("the thanks in the chat", () => Task.FromResult(telegram.Sent.Count(s => s["chat_id"]!.GetValue<long>() == chat) == 3), Wait);

        var sent = telegram.Sent.Where(s => s["chat_id"]!.GetValue<long>() == chat).ToList();
        var promise = sent[1]["text"]!.GetValue<string>();
        Assert.Contains(reference, promise, StringComparison.Ordinal);
        Assert.Contains(ProgressKit.DateIn("en", due), promise, StringComparison.Ordinal);
        Assert.NotEmpty(ProgressKit.StatusLink(promise));
        Assert.All(sent, s => Assert.Equal(message["message_id"]!.GetValue<int>(), s["reply_parameters"]!["message_id"]!.GetValue<int>()));
        Assert.Contains(reference, sent[2]["text"]!.GetValue<string>(), StringComparison.Ordinal);
        // Nothing went to the chat id as if it were a mail address, and nothing was suppressed.
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'progress' AND channel <> 'Telegram'"));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'progress-suppressed'"));
        await harness.WaitForCountAsync("both updates recorded as sent", "SELECT count(*) FROM outbox WHERE kind = 'progress' AND status = 'Sent'", 2, Wait);
    }
}
