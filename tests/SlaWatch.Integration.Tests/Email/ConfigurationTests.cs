using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Email;

/// <summary>A broken configuration stops the start with exit code 2 and a message that names the key.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ConfigurationTests(ServersFixture servers, ITestOutputHelper output)
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "SlaWatch__Inboxes__0__Host", "mail.example.com", "SlaWatch:Inboxes:0:Security" },
        { "SlaWatch__Inboxes__0__Address", "not-an-address", "SlaWatch:Inboxes:0:Address" },
        { "SlaWatch__Inboxes__0__DefaultLanguage", "fr", "SlaWatch:Inboxes:0:DefaultLanguage" },
        { "SlaWatch__Inboxes__0__ProcessedKeyword", "\\Seen", "SlaWatch:Inboxes:0:ProcessedKeyword" },
        { "SlaWatch__Messages__FallbackLanguage", "xx", "SlaWatch:Messages:FallbackLanguage" },
        { "SlaWatch__Smtp__Host", "", "SlaWatch:Smtp:Host" },
        { "SlaWatch__Smtp__BounceAddress", "bounces", "SlaWatch:Smtp:BounceAddress" },
        { "SlaWatch__Messages__TemplateFolder", "/nonexistent/templates", "SlaWatch:Messages:TemplateFolder" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_BadSetting_ExitsWithCodeTwoNamingTheKey(string variable, string value, string named)
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);

        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { [variable] = value }, waitForInbox: false);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithoutSigningKey_Refuses()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);

        var worker = await harness.StartWorkerAsync(
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production", ["SlaWatch__SigningKey"] = null },
            waitForInbox: false);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("SlaWatch:SigningKey", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateCommand_FreshDatabase_CreatesTheSchemaAndExits()
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);

        var worker = await harness.StartWorkerAsync(waitForInbox: false, arguments: ["migrate"]);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints"));
        Assert.True(await harness.ScalarAsync<long>("SELECT count(*) FROM __ef_migrations_history") > 0);
    }
}
