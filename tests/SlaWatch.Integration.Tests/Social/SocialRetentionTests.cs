using System.Net;
using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>A social complaint resolved longer ago than SlaWatch:Retention:PersonalData loses the customer's words and handle too.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class SocialRetentionTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task RetentionPurge_ResolvedTelegramComplaint_SocialMessagesScrubbedOthersKept()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        await using var telegram = await FakeTelegram.StartAsync();
        TelegramInboxTests.AddTelegramInbox(harness, telegram);
        var agent = AddKey(harness, "alice", "agent");
        harness.Environment["SlaWatch__Retention__PersonalData"] = "01:00:00";
        harness.Environment["SlaWatch__Retention__Schedule"] = "00:00:01";
        using var client = await StartAsync(harness, waitForInbox: true);
        telegram.AddMessage(5550301, "My sofa arrived with a torn cushion.", firstName: "Rita");
        telegram.AddMessage(5550302, "My chair arrived with a broken leg.", firstName: "Kim");
        await harness.WaitForCountAsync("both complaints", "SELECT count(*) FROM complaints WHERE channel = 'Telegram'", 2, TimeSpan.FromSeconds(45));
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints WHERE customer_address = '5550301'"))!;
        using var resolve = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/resolve", agent, """{"note":"replaced"}"""));
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);

        await harness.ScalarAsync<int>("UPDATE complaints SET resolved_at = now() - interval '2 hours' WHERE reference = @r RETURNING 1", ("r", reference));

        await harness.WaitForCountAsync("the resolved complaint anonymised", "SELECT count(*) FROM complaints WHERE reference = @r AND customer_address = '(erased)'", 1, parameters: ("r", reference));
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages WHERE text LIKE '%torn cushion%' OR author_name = 'Rita' OR author_id = '5550301'"));
        Assert.Equal(1L, await harness.ScalarAsync<long>("SELECT count(*) FROM social_messages WHERE text LIKE '%broken leg%' AND author_id = '5550302'"));
    }
}
