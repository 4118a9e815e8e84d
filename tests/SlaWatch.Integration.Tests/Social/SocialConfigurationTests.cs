using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Social;

/// <summary>A social inbox missing what it needs stops the start with exit code 2, naming the key.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class SocialConfigurationTests(ServersFixture servers, ITestOutputHelper output)
{
    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        { "Telegram", "BotToken", "", "SlaWatch:Inboxes:1:BotToken or SlaWatch:Inboxes:1:BotTokenFile is required" },
        { "Telegram", "BotToken", "not-a-token", "SlaWatch:Inboxes:1:BotToken does not look like a bot token" },
        { "Telegram", "BaseUrl", "http://bot-api.example.com", "SlaWatch:Inboxes:1:BaseUrl" },
        { "Telegram", "Address", "alerts", "SlaWatch:Inboxes:1:Address: 'alerts' is not an email address" },
        { "Mastodon", "BaseUrl", "", "SlaWatch:Inboxes:1:BaseUrl is required" },
        { "Mastodon", "AccessToken", "", "SlaWatch:Inboxes:1:AccessToken or SlaWatch:Inboxes:1:AccessTokenFile is required" },
        { "Webhook", "AppSecret", "", "SlaWatch:Inboxes:1:AppSecret or SlaWatch:Inboxes:1:AppSecretFile is required" },
        { "Webhook", "Platform", "Telegram", "SlaWatch:Inboxes:1:Platform: 'Telegram' is not one of WhatsApp, Messenger, Instagram" },
        { "Twitter", "BaseUrl", "", "SlaWatch:Inboxes:1:Channel: 'Twitter' is not supported" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_SocialInboxMissingAKey_ExitsWithCodeTwoNamingIt(string channel, string key, string value, string named)
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);
        const string inbox = "SlaWatch__Inboxes__1__";
        var settings = new Dictionary<string, string?>
        {
            [inbox + "Name"] = "social",
            [inbox + "Channel"] = channel,
            [inbox + "BotToken"] = channel == "Telegram" ? "123:abc" : null,
            [inbox + "AccessToken"] = channel == "Mastodon" ? "token" : null,
            [inbox + "AppSecret"] = channel == "Webhook" ? "secret" : null,
            [inbox + "BaseUrl"] = channel == "Mastodon" ? "https://mastodon.example" : null,
        };
        settings[inbox + key] = value;

        var worker = await harness.StartWorkerAsync(settings, waitForInbox: false);

        Assert.Equal(2, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(named, worker.Output, StringComparison.Ordinal);
    }
}
