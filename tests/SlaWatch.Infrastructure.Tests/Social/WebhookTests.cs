using System.Text;
using SlaWatch.Infrastructure.Social;
using SlaWatch.Infrastructure.Social.Webhook;

namespace SlaWatch.Infrastructure.Tests.Social;

public sealed class WebhookTests
{
    // Meta's "messages webhook reference" example, a text message answering an earlier one.
    internal const string WhatsAppText = """
        { "object": "whatsapp_business_account", "entry": [ { "id": "102290129340398", "changes": [ { "field": "messages", "value": {
          "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
          "contacts": [ { "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" } ],
          "messages": [ { "from": "16505551234", "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "timestamp": "1749416383", "type": "text",
                          "text": { "body": "Does it come in another color?" }, "context": { "from": "15550783881", "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNTI1MkQ5RjU0QjdGRTg2RkYA" } } ] } } ] } ] }
        """;

    [Fact]
    public void Signature_MetaScheme_GoodAcceptedBadAndMissingRefused()
    {
        var body = Encoding.UTF8.GetBytes(WhatsAppText);
        var header = WebhookSignature.Sign(body, "app-secret");

        Assert.StartsWith("sha256=", header, StringComparison.Ordinal);
        Assert.True(WebhookSignature.IsValid(body, header, "app-secret"));
        Assert.True(WebhookSignature.IsValid(body, header.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), "app-secret"));
        Assert.False(WebhookSignature.IsValid(body, header, "another-secret"));
        Assert.False(WebhookSignature.IsValid([.. body, (byte)' '], header, "app-secret"));
        Assert.False(WebhookSignature.IsValid(body, null, "app-secret"));
        Assert.False(WebhookSignature.IsValid(body, "sha256=not-hex", "app-secret"));
    }

    [Fact]
    public void WhatsAppPayload_TextMessage_CustomerMessageWithPlatformTimestampAndReplyContext()
    {
        var message = Assert.Single(WhatsAppPayload.Parse(Encoding.UTF8.GetBytes(WhatsAppText)));

        Assert.Equal("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", message.PlatformId);
        Assert.Equal("wa:16505551234", message.ThreadKey);
        Assert.Equal("wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNTI1MkQ5RjU0QjdGRTg2RkYA", message.InReplyTo);
        Assert.Equal("16505551234", message.AuthorId);
        Assert.Equal("Sheena Nelson", message.AuthorName);
        Assert.Equal(SocialAuthorRole.Customer, message.Role);
        Assert.Equal("Does it come in another color?", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1749416383), message.SentAt);
        Assert.Equal("106540352242922", message.ReplyContext);
    }

    [Fact]
    public void WhatsAppPayload_StatusUpdateOnly_NoMessages()
    {
        const string statuses = """{ "object": "whatsapp_business_account", "entry": [ { "id": "1", "changes": [ { "field": "messages", "value": { "messaging_product": "whatsapp", "metadata": { "phone_number_id": "1" }, "statuses": [ { "id": "wamid.X", "status": "delivered", "timestamp": "1749416383", "recipient_id": "16505551234" } ] } } ] } ] }""";

        Assert.Empty(WhatsAppPayload.Parse(Encoding.UTF8.GetBytes(statuses)));
    }

    [Fact]
    public void WhatsAppPayload_StaffEchoFromTheBusinessApp_IsStaff()
    {
        const string echo = """{ "object": "whatsapp_business_account", "entry": [ { "id": "1", "changes": [ { "field": "smb_message_echoes", "value": { "messaging_product": "whatsapp", "metadata": { "phone_number_id": "106540352242922" }, "message_echoes": [ { "from": "15550783881", "to": "16505551234", "id": "wamid.ECHO", "timestamp": "1749416500", "type": "text", "text": { "body": "Yes, in blue." } } ] } } ] } ] }""";

        var message = Assert.Single(WhatsAppPayload.Parse(Encoding.UTF8.GetBytes(echo)));

        Assert.Equal(SocialAuthorRole.Staff, message.Role);
        Assert.Equal("wa:16505551234", message.ThreadKey);
    }

    [Theory]
    [InlineData("{\"object\":\"page\"}")]
    [InlineData("{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"id\":\"wamid.1\",\"type\":\"text\"}]}}]}]}")]
    public void WhatsAppPayload_Malformed_Throws(string json) =>
        Assert.Throws<FormatException>(() => WhatsAppPayload.Parse(Encoding.UTF8.GetBytes(json)));
}
