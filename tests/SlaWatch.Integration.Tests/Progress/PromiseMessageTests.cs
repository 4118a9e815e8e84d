using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;
using static SlaWatch.Integration.Tests.Progress.ProgressKit;

namespace SlaWatch.Integration.Tests.Progress;

/// <summary>
/// Issue 4, item 1: a promise set or moved through the API reaches the customer's mailbox in their language, threaded,
/// with the reference, the date and its margin ("normally within 3 to 4 days"), and the status link; a note an agent
/// marks for the customer reaches them too.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class PromiseMessageTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task PromiseSet_EnglishAndRussianCustomers_EachGetsTheDateWithItsMarginInTheirLanguage()
    {
        var (harness, key, client) = await StartAsync(servers, output);
        await using var _ = harness;
        using var __ = client;
        var english = Email.EmailHarness.Customer("promise-en");
        var russian = Email.EmailHarness.Customer("promise-ru");
        var (enReference, enMessageId) = await ComplainAsync(harness, english, "My parcel never arrived", "I ordered a lamp three weeks ago and it never arrived. Please help me, I am really disappointed.");
        var (ruReference, _) = await ComplainAsync(harness, russian, "Посылка не пришла", "Здравствуйте! Три недели назад я заказал лампу, но посылка так и не пришла. Помогите, пожалуйста, я очень расстроен.");
        var dueAt = NoonInDays(4);

        await SetPromiseAsync(client, key, enReference, dueAt, marginDays: 1);
        await SetPromiseAsync(client, key, ruReference, dueAt, marginDays: 1);

        var en = Assert.Single(await UpdatesAsync(harness, english));
        var ru = Assert.Single(await UpdatesAsync(harness, russian));
        Assert.Contains($"[{enReference}]", en.Message.Subject, StringComparison.Ordinal);
        Assert.Contains($"[{ruReference}]", ru.Message.Subject, StringComparison.Ordinal);
        Assert.Equal(enMessageId, en.Message.InReplyTo);
        Assert.Contains(enMessageId, en.Message.References);
        Assert.Contains($"Normally it will be resolved within 3 to 4 days: between {DateIn("en", dueAt.AddDays(-1))} and {DateIn("en", dueAt)}.", en.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"В обычных условиях вопрос будет решён в течение 3–4 дней: в период с {DateIn("ru", dueAt.AddDays(-1))} по {DateIn("ru", dueAt)}.", ru.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("guarantee", en.Message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(StatusLink(en.Message.TextBody));
        Assert.NotEmpty(StatusLink(ru.Message.TextBody));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'progress-queued' AND detail LIKE 'promise-set%'"));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE last_customer_message_at IS NULL OR promise_earliest_at IS NULL"));

        // Like the acknowledgement, each update leaves a copy of record in the Sent folder and a "sent" entry in the timeline.
        foreach (var update in new[] { en, ru })
        {
            await harness.Mail.WaitForAsync(harness.Support, "Sent", m => m.Message.MessageId == update.Message.MessageId);
        }

        await harness.WaitUntilAsync("both updates are in the timeline as sent", async () => await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'progress-sent'") == 2);
    }

    [Fact]
    public async Task PromiseMoved_DutchCustomer_GetsAnApologyAndTheNewDate_ThenTheNoteMarkedForThem()
    {
        var (harness, key, client) = await StartAsync(servers, output);
        await using var _ = harness;
        using var __ = client;
        var customer = Email.EmailHarness.Customer("moved-nl");
        var (reference, _) = await ComplainAsync(harness, customer, "Kapotte wasmachine", "Goedemiddag, mijn nieuwe wasmachine is na twee dagen al kapot gegaan. Ik ben hier erg ontevreden over en wil graag dat het snel wordt opgelost.");
        var first = NoonInDays(3);
        var moved = NoonInDays(6);
        await SetPromiseAsync(client, key, reference, first);
        await UpdatesAsync(harness, customer);

        await SetPromiseAsync(client, key, reference, moved, marginDays: 2);
        using var internalNote = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/notes", key, """{"text":"Supplier asked for the serial number."}"""));
        using var sentNote = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/notes", key, """{"text":"Het vervangende onderdeel is vandaag verzonden.","sendToCustomer":true}"""));

        var updates = (await UpdatesAsync(harness, customer, 3)).OrderBy(m => m.Uid.Id).ToList();
        Assert.True(internalNote.IsSuccessStatusCode, await internalNote.Content.ReadAsStringAsync());
        Assert.True(sentNote.IsSuccessStatusCode, await sentNote.Content.ReadAsStringAsync());
        var apology = updates[1].Message.TextBody;
        Assert.Contains("Onze excuses", apology, StringComparison.Ordinal);
        Assert.Contains($"dat was {DateIn("nl", first)}", apology, StringComparison.Ordinal);
        Assert.Contains($"De nieuwe datum: normaal gesproken is het binnen 4 tot 6 dagen opgelost, tussen {DateIn("nl", moved.AddDays(-2))} en {DateIn("nl", moved)}", apology, StringComparison.Ordinal);
        Assert.Contains("Het vervangende onderdeel is vandaag verzonden.", updates[2].Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(3, (await harness.Mail.ListAsync(customer, "INBOX")).Count(m => m.Header("Auto-Submitted") == "auto-generated"));
        Assert.DoesNotContain(updates, m => (m.Message.TextBody ?? string.Empty).Contains("serial number", StringComparison.Ordinal));
        Assert.Equal(2L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaint_events WHERE type = 'note-added'"));
        Assert.Equal(3, updates.Select(m => m.Message.MessageId).Distinct().Count());
    }
}
