using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class ChannelCursorConfiguration : IEntityTypeConfiguration<ChannelCursor>
{
    public void Configure(EntityTypeBuilder<ChannelCursor> builder)
    {
        builder.ToTable("channel_cursors");
        builder.HasKey(c => c.Inbox);
        builder.Property(c => c.Inbox).HasMaxLength(100);
        builder.Property(c => c.Cursor).HasMaxLength(1000);
    }
}

internal sealed class SocialInboundMessageConfiguration : IEntityTypeConfiguration<SocialInboundMessage>
{
    public void Configure(EntityTypeBuilder<SocialInboundMessage> builder)
    {
        builder.ToTable("social_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Inbox).HasMaxLength(100);
        builder.Property(m => m.Channel).HasMaxLength(20);
        builder.Property(m => m.PlatformId).HasMaxLength(200);
        builder.Property(m => m.ThreadKey).HasMaxLength(200);
        builder.Property(m => m.InReplyTo).HasMaxLength(200);
        builder.Property(m => m.AuthorId).HasMaxLength(300);
        builder.Property(m => m.Role).HasMaxLength(20);
        builder.Property(m => m.LanguageHint).HasMaxLength(16);
        builder.Property(m => m.Classification).HasMaxLength(20);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(m => new { m.Inbox, m.PlatformId }).IsUnique();
        builder.HasIndex(m => m.Status).HasFilter("status = 'Fetched'");
    }
}

internal sealed class WebhookPayloadConfiguration : IEntityTypeConfiguration<WebhookPayload>
{
    public void Configure(EntityTypeBuilder<WebhookPayload> builder)
    {
        builder.ToTable("webhook_payloads");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Inbox).HasMaxLength(100);
        builder.Property(p => p.Status).HasMaxLength(20);
        builder.Property(p => p.Error).HasMaxLength(2000);
        builder.HasIndex(p => p.ReceivedAt);
    }
}
