using SlaWatch.Integration.Tests.Email;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Api.ApiTestKit;
using static SlaWatch.Integration.Tests.Progress.ProgressKit;

namespace SlaWatch.Integration.Tests.Progress;

/// <summary>The notes endpoint and the promise's margin: clear 4xx problem details for bad input, nothing sent.</summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class ProgressApiTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task BadNoteAndBadMargin_ProblemDetailsNamingTheField_AndNoUpdateSent()
    {
        var (harness, key, client) = await StartAsync(servers, output);
        await using var _ = harness;
        using var __ = client;
        var customer = EmailHarness.Customer("api-bad");
        var (reference, _) = await ComplainAsync(harness, customer, "Late delivery", "My delivery is two weeks late and nobody tells me anything.");

        using var noText = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/notes", key, """{"sendToCustomer":true}"""));
        using var marginOutOfRange = await client.SendAsync(Request(HttpMethod.Put, $"api/complaints/{reference}/promise", key, $$"""{"dueAt":"{{NoonInDays(3):yyyy-MM-ddTHH:mm:ssK}}","marginDays":31}"""));
        using var marginInThePast = await client.SendAsync(Request(HttpMethod.Put, $"api/complaints/{reference}/promise", key, $$"""{"dueAt":"{{NoonInDays(2):yyyy-MM-ddTHH:mm:ssK}}","marginDays":5}"""));
        using var noKey = await client.SendAsync(Request(HttpMethod.Post, $"api/complaints/{reference}/notes", json: """{"text":"hello","sendToCustomer":true}"""));

        Assert.Contains("text is required", await AssertProblemAsync(noText, 400), StringComparison.Ordinal);
        Assert.Contains("marginDays", await AssertProblemAsync(marginOutOfRange, 400), StringComparison.Ordinal);
        Assert.Contains("margin", await AssertProblemAsync(marginInThePast, 422), StringComparison.Ordinal);
        Assert.Equal(401, (int)noKey.StatusCode);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'progress'"));
        Assert.Null(await harness.ScalarAsync<DateTime?>("SELECT promise_due_at FROM complaints"));
    }
}
