using System.Net;
using Microsoft.Extensions.Options;
using SlaWatch.Infrastructure.Configuration;
using SlaWatch.Infrastructure.Security;
using SlaWatch.Integration.Tests.Fixtures;
using Xunit.Abstractions;
using static SlaWatch.Integration.Tests.Progress.ProgressKit;

namespace SlaWatch.Integration.Tests.Progress;

/// <summary>
/// Issue 4, item 4: the link in the acknowledgement opens the complaint's status page — its timeline and reference, in
/// the customer's language, and nothing else — and a tampered token, or one made for another purpose, is refused.
/// </summary>
[Collection(ServersCollectionDefinition.Name)]
public sealed class StatusPageTests(ServersFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task LinkInTheAcknowledgement_ShowsTheTimeline_AndATamperedTokenIsRefused()
    {
        var (harness, key, client) = await StartAsync(servers, output);
        await using var _ = harness;
        using var __ = client;
        var customer = Email.EmailHarness.Customer("status");
        var secret = "My order 4711 <b>never</b> arrived";
        await harness.SendAsync(harness.Complaint(customer, secret, "I ordered a chair a month ago and it never arrived. I am very disappointed."));
        var ack = Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        var link = StatusLink(ack.Message.TextBody);
        Assert.NotEmpty(link);
        var reference = (await harness.ScalarAsync<string>("SELECT reference FROM complaints"))!;
        await harness.WaitUntilAsync("the acknowledgement is recorded as sent", async () => await harness.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE kind = 'acknowledgement' AND status = 'Sent'") == 1);
        var dueAt = NoonInDays(5);
        await SetPromiseAsync(client, key, reference, dueAt, marginDays: 1);
        using var http = new HttpClient();

        using var page = await http.GetAsync(new Uri(link));
        var html = await page.Content.ReadAsStringAsync();
        var tokenStart = link.LastIndexOf('/') + 1;
        var token = link[tokenStart..];
        var tampered = link[..tokenStart] + token.Replace($".{reference}.", ".SW-2000-000001.", StringComparison.Ordinal);
        using var tamperedPage = await http.GetAsync(new Uri(tampered));
        var alertToken = Tokens(harness).Create(SignedTokens.AlertAcknowledge, reference, DateTimeOffset.UnixEpoch.AddYears(100));
        using var wrongPurpose = await http.GetAsync(new Uri(link[..tokenStart] + alertToken));
        var expiredToken = Tokens(harness).Create(Infrastructure.Messages.StatusLinks.Purpose, reference, DateTimeOffset.UnixEpoch.AddYears(50));
        using var expired = await http.GetAsync(new Uri(link[..tokenStart] + expiredToken));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reference, html, StringComparison.Ordinal);
        Assert.Contains("We received your message", html, StringComparison.Ordinal);
        Assert.Contains("We confirmed we received it", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode($"normally between {DateIn("en", dueAt.AddDays(-1))} and {DateIn("en", dueAt)}"), html, StringComparison.Ordinal);
        Assert.Contains("Resolved", html, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", html, StringComparison.Ordinal);
        Assert.DoesNotContain("chair", html, StringComparison.Ordinal);
        Assert.DoesNotContain(customer, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", Assert.Single(page.Headers.GetValues("Referrer-Policy")));
        Assert.Equal(HttpStatusCode.BadRequest, tamperedPage.StatusCode);
        Assert.DoesNotContain(reference, await tamperedPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongPurpose.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Equal(0L, await harness.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE status = 'Resolved'"));
    }

    [Fact]
    public async Task RussianComplaint_StatusPage_IsInRussian()
    {
        var (harness, _, client) = await StartAsync(servers, output);
        await using var __ = harness;
        using var ___ = client;
        var customer = Email.EmailHarness.Customer("status-ru");
        await harness.SendAsync(harness.Complaint(customer, "Сломанный стул", "Здравствуйте! Месяц назад я заказал стул, и он пришёл сломанным. Я очень расстроен и прошу помочь."));
        var ack = Assert.Single(await harness.WaitForAcknowledgementsAsync(customer));
        using var http = new HttpClient();

        using var page = await http.GetAsync(new Uri(StatusLink(ack.Message.TextBody)));

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html lang=\"ru\"", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode("Мы получили ваше письмо"), html, StringComparison.Ordinal);
    }

    private static SignedTokens Tokens(Email.EmailHarness harness) =>
        new(new MessageSigner(Options.Create(new SlaWatchOptions { SigningKey = harness.Environment["SlaWatch__SigningKey"] })));
}
