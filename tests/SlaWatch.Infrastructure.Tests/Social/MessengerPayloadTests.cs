using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SlaWatch.Infrastructure.Social;
using SlaWatch.Infrastructure.Social.Webhook;

namespace SlaWatch.Infrastructure.Tests.Social;

/// <summary>Messenger and Instagram deliveries, built from the documented examples (SOCIAL.md §5.2).</summary>
public sealed class MessengerPayloadTests
{
    private const string PageId = "104757185436890";
    private const string Psid = "6939563382766291";

    // The Messenger "messages" example: a customer's text answering an earlier message.
    private static readonly string CustomerText = $$"""
        { "object": "page", "entry": [ { "id": "{{PageId}}", "time": 1458692752478, "messaging": [
          { "sender": { "id": "{{Psid}}" }, "recipient": { "id": "{{PageId}}" }, "timestamp": 1458692752478,
            "message": { "mid": "m_AG5Hz2U", "text": "hello, world!", "reply_to": { "mid": "m_EARLIER", "is_self_reply": false } } } ] } ] }
        """;

    // The "message_echoes" example: the page's own message, here typed by staff in Meta Business Suite.
    private static readonly string EchoItem = $$"""
        { "sender": { "id": "{{PageId}}" }, "recipient": { "id": "{{Psid}}" }, "timestamp": 1457764197627,
          "message": { "is_echo": true, "app_id": 1517776481860111, "metadata": "DEVELOPER_DEFINED", "mid": "mid.1457764197618:41d102a3e1ae206a38", "text": "We are on it." } }
        """;

    private static IReadOnlyList<SocialMessage> Parse(string json, WebhookPlatform platform = WebhookPlatform.Messenger) =>
        MessengerPayload.Parse(Encoding.UTF8.GetBytes(json), platform);

    private static string Delivery(string @object, string field, params string[] items) =>
        $$"""{ "object": "{{@object}}", "entry": [ { "id": "{{PageId}}", "time": 1458692752478, "{{field}}": [ {{string.Join(", ", items)}} ] } ] }""";

    [Fact]
    public void Parse_CustomerText_CustomerMessageByPsidWithMillisecondTimestampAndPageToReplyFrom()
    {
        var message = Assert.Single(Parse(CustomerText));

        Assert.Equal("m_AG5Hz2U", message.PlatformId);
        Assert.Equal($"fb:{PageId}:{Psid}", message.ThreadKey);
        Assert.Equal(Psid, message.AuthorId);
        Assert.Null(message.AuthorName);
        Assert.Equal(SocialAuthorRole.Customer, message.Role);
        Assert.Equal("hello, world!", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1458692752478), message.SentAt);
        Assert.Equal(PageId, message.ReplyContext);
    }

    [Fact]
    public void Parse_ReplyTo_IsWhatTheMessageAnswers() =>
        Assert.Equal("m_EARLIER", Assert.Single(Parse(CustomerText)).InReplyTo);

    [Fact]
    public void Parse_Echo_StaffMessageToTheRecipientInTheCustomersConversation()
    {
        var message = Assert.Single(Parse(Delivery("page", "messaging", EchoItem)));

        Assert.Equal(SocialAuthorRole.Staff, message.Role);
        Assert.Equal("mid.1457764197618:41d102a3e1ae206a38", message.PlatformId);
        Assert.Equal($"fb:{PageId}:{Psid}", message.ThreadKey);
        Assert.Equal(Psid, message.AuthorId);
        Assert.Equal(PageId, message.ReplyContext);
        Assert.Equal("We are on it.", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1457764197627), message.SentAt);
    }

    [Fact]
    public void Parse_StandbyEcho_ReadLikeAMessagingOne()
    {
        // Another app is the thread's primary receiver (handover protocol): the echo arrives under standby.
        var message = Assert.Single(Parse(Delivery("page", "standby", EchoItem)));

        Assert.Equal(SocialAuthorRole.Staff, message.Role);
        Assert.Equal($"fb:{PageId}:{Psid}", message.ThreadKey);
    }

    [Fact]
    public void Parse_NonTextMessage_RecordedAsItsAttachmentType()
    {
        var image = $$"""{ "sender": { "id": "{{Psid}}" }, "recipient": { "id": "{{PageId}}" }, "timestamp": 1458692752478, "message": { "mid": "m_IMG", "attachments": [ { "type": "image", "payload": { "url": "https://scontent.example/photo.jpg" } } ] } }""";

        Assert.Equal("[image message]", Assert.Single(Parse(Delivery("page", "messaging", image))).Text);
    }

    [Fact]
    public void Parse_DeliveryReadAndReactionEvents_Ignored()
    {
        var delivery = $$"""{ "sender": { "id": "{{Psid}}" }, "recipient": { "id": "{{PageId}}" }, "delivery": { "mids": [ "m_AG5Hz2U" ], "watermark": 1458668856253 } }""";
        var read = $$"""{ "sender": { "id": "{{Psid}}" }, "recipient": { "id": "{{PageId}}" }, "timestamp": 1458668856463, "read": { "watermark": 1458668856253 } }""";
        var reaction = $$"""{ "sender": { "id": "{{Psid}}" }, "recipient": { "id": "{{PageId}}" }, "timestamp": 1458668856463, "reaction": { "mid": "m_AG5Hz2U", "action": "react", "emoji": "\u2764" } }""";

        Assert.Empty(Parse(Delivery("page", "messaging", delivery, read, reaction)));
    }

    [Theory]
    [InlineData(WebhookPlatform.Messenger, "instagram")]
    [InlineData(WebhookPlatform.Messenger, "whatsapp_business_account")]
    [InlineData(WebhookPlatform.Instagram, "page")]
    public void Parse_ObjectOfAnotherPlatform_ThrowsNamingBoth(WebhookPlatform platform, string given)
    {
        var error = Assert.Throws<FormatException>(() => Parse(Delivery(given, "messaging", EchoItem), platform));

        Assert.Contains($"'{given}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{WebhookPlatforms.ObjectOf(platform)}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "object": "page" }""")]
    [InlineData("""{ "object": "page", "entry": [ { "messaging": [ { "recipient": { "id": "1" }, "timestamp": 1, "message": { "mid": "m_1", "text": "x" } } ] } ] }""")]
    [InlineData("""{ "object": "page", "entry": [ { "messaging": [ { "sender": { "id": "2" }, "recipient": { "id": "1" }, "message": { "mid": "m_1", "text": "x" } } ] } ] }""")]
    [InlineData("""{ "object": "page", "entry": [ { "messaging": [ { "sender": { "id": "2" }, "recipient": { "id": "1" }, "timestamp": 1, "message": { "text": "x" } } ] } ] }""")]
    public void Parse_Malformed_Throws(string json) =>
        Assert.Throws<FormatException>(() => Parse(json));

    [Fact]
    public void Parse_SeveralEntriesAndItems_AllMessagesInOrder()
    {
        var second = $$"""{ "sender": { "id": "7000000000000001" }, "recipient": { "id": "{{PageId}}" }, "timestamp": 1458692753000, "message": { "mid": "m_2", "text": "second" } }""";
        var otherPage = """{ "id": "200000000000002", "time": 1458692754000, "messaging": [ { "sender": { "id": "7000000000000002" }, "recipient": { "id": "200000000000002" }, "timestamp": 1458692754000, "message": { "mid": "m_3", "text": "third" } } ] }""";
        var json = Delivery("page", "messaging", EchoItem, second).Replace("] } ] }", "] }, " + otherPage + " ] }", StringComparison.Ordinal);

        var messages = Parse(json);

        Assert.Equal(["mid.1457764197618:41d102a3e1ae206a38", "m_2", "m_3"], messages.Select(m => m.PlatformId));
        Assert.Equal([$"fb:{PageId}:{Psid}", $"fb:{PageId}:7000000000000001", "fb:200000000000002:7000000000000002"], messages.Select(m => m.ThreadKey));
        Assert.Equal([PageId, PageId, "200000000000002"], messages.Select(m => m.ReplyContext));
    }

    [Fact]
    public void Parse_InstagramCustomerMessageAndEcho_ThreadedByAccountAndIgsid()
    {
        // Instagram echoes ride the messages field itself, in the same messaging array.
        const string json = """
            { "object": "instagram", "entry": [ { "id": "17841405822304914", "time": 1569262486134, "messaging": [
              { "sender": { "id": "1254459154682919" }, "recipient": { "id": "17841405822304914" }, "timestamp": 1569262485349, "message": { "mid": "aWdfZAG1faW", "text": "Where is my order?" } },
              { "sender": { "id": "17841405822304914" }, "recipient": { "id": "1254459154682919" }, "timestamp": 1569262486000, "message": { "mid": "aWdfZAG1faX", "text": "Checking now.", "is_echo": true } } ] } ] }
            """;

        var messages = Parse(json, WebhookPlatform.Instagram);

        Assert.Equal([SocialAuthorRole.Customer, SocialAuthorRole.Staff], messages.Select(m => m.Role));
        Assert.All(messages, m => Assert.Equal("ig:17841405822304914:1254459154682919", m.ThreadKey));
        Assert.All(messages, m => Assert.Equal("1254459154682919", m.AuthorId));
        Assert.All(messages, m => Assert.Equal("17841405822304914", m.ReplyContext));
    }

    [Theory]
    [InlineData("messenger", WebhookPlatform.Messenger)]
    [InlineData("INSTAGRAM", WebhookPlatform.Instagram)]
    [InlineData("WhatsApp", WebhookPlatform.WhatsApp)]
    [InlineData("Telegram", null)]
    [InlineData("1", null)]
    [InlineData("", null)]
    public void Platforms_Parse_CaseInsensitiveNamesOnly(string value, WebhookPlatform? expected) =>
        Assert.Equal(expected, WebhookPlatforms.Parse(value));

    [Fact]
    public void WhatsAppPayload_MessengerDelivery_ThrowsNamingTheObject()
    {
        var error = Assert.Throws<FormatException>(() => WhatsAppPayload.Parse(Encoding.UTF8.GetBytes(CustomerText)));

        Assert.Contains("'page'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WebhookPlatform.Messenger, "Messenger", 2000)]
    [InlineData(WebhookPlatform.Instagram, "Instagram", 1000)]
    public void Channel_PlatformNameAndTextLimit(WebhookPlatform platform, string channel, int limit)
    {
        using var http = new HttpClient();
        var sut = new MessengerChannel(http, "meta", platform, null, "token");

        Assert.Equal(channel, sut.Channel);
        Assert.Equal(limit, sut.MaxReplyLength);
    }

    [Fact]
    public async Task Send_SendApiShapeWithBearerToken_ReturnsTheMessageId()
    {
        using var handler = new Recording(_ => Answer(HttpStatusCode.OK, $$"""{ "recipient_id": "{{Psid}}", "message_id": "m_SENT1" }"""));
        using var http = new HttpClient(handler);
        var sut = new MessengerChannel(http, "meta", WebhookPlatform.Messenger, "http://127.0.0.1:9/v21.0", "page-token");

        var result = await sut.SendAsync(new SocialReply(Psid, "m_AG5Hz2U", PageId, "Sorry for the wait.", "key-1"), CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal("m_SENT1", result.PlatformId);
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal($"http://127.0.0.1:9/v21.0/{PageId}/messages", request.RequestUri!.ToString());
        Assert.Equal("Bearer page-token", request.Headers.Authorization!.ToString());
        Assert.Equal(Psid, body["recipient"]!["id"]!.GetValue<string>());
        Assert.Equal("RESPONSE", body["messaging_type"]!.GetValue<string>());
        Assert.Equal("Sorry for the wait.", body["message"]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, true)]
    [InlineData(HttpStatusCode.Forbidden, true)]
    [InlineData(HttpStatusCode.RequestTimeout, false)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    public async Task Send_Refused_PermanentOnlyForClientErrorsOtherThan408And429(HttpStatusCode status, bool permanent)
    {
        using var handler = new Recording(_ =>
        {
            var response = Answer(status, """{ "error": { "message": "x", "code": 10 } }""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
            return response;
        });
        using var http = new HttpClient(handler);
        var sut = new MessengerChannel(http, "meta", WebhookPlatform.Instagram, "http://127.0.0.1:9/v21.0", "token");

        var result = await sut.SendAsync(new SocialReply(Psid, null, PageId, "text", "key-1"), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(permanent, result.Permanent);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.StartsWith("Instagram " + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), result.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_Unreachable_Transient()
    {
        using var handler = new Recording(_ => throw new HttpRequestException("connection refused"));
        using var http = new HttpClient(handler);
        var sut = new MessengerChannel(http, "meta", WebhookPlatform.Messenger, "http://127.0.0.1:9/v21.0", "token");

        var result = await sut.SendAsync(new SocialReply(Psid, null, PageId, "text", "key-1"), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.False(result.Permanent);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private sealed class Recording(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, JsonObject Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            Requests.Add((request, body));
            return answer(request);
        }
    }
}
