using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace SlaWatch.Integration.Tests.Ops;

/// <summary>The ops keys are validated at start like every other: a bad value stops the worker (exit code 2) naming the key.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class OpsConfigurationTests(ServersFixture servers, ITestOutputHelper output)
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "SlaWatch__Retention__Schedule", "every night", "SlaWatch:Retention:Schedule" },
        { "SlaWatch__Retention__RawMail", "-1.00:00:00", "SlaWatch:Retention:RawMail" },
        { "SlaWatch__Watchdog__HeartbeatUrl", "ftp://monitor.example/ping", "SlaWatch:Watchdog:HeartbeatUrl" },
        { "SlaWatch__Metrics__Path", "metrics", "SlaWatch:Metrics:Path" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_BadOpsSetting_ExitsWithCodeTwoNamingTheKey(string variable, string value, string named)
    {
        await using var harness = await EmailHarness.CreateAsync(servers, output);

        var worker = await harness.StartWorkerAsync(new Dictionary<string, string?> { [variable] = value }, waitForInbox: false);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, worker.Output, StringComparison.Ordinal);
    }
}
