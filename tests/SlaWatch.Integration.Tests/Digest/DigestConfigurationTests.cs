using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Digest;

/// <summary>A bad digest setting stops the start with exit code 2 and a message naming the key.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class DigestConfigurationTests(ServersFixture servers, ITestOutputHelper output)
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "SlaWatch__Digest__Cron", "every morning", "SlaWatch:Digest:Cron" },
        { "SlaWatch__Digest__TimeZone", "Mars/Olympus_Mons", "SlaWatch:Digest:TimeZone" },
        { "SlaWatch__Digest__Webhooks__0", "ftp://example.test/digest", "SlaWatch:Digest:Webhooks:0" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_BadDigestSetting_ExitsWithCodeTwoNamingTheKey(string variable, string value, string named)
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);

        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { [variable] = value }, waitForInbox: false);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, worker.Output, StringComparison.Ordinal);
    }
}
