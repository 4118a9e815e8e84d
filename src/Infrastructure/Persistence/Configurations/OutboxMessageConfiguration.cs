using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Kind).HasMaxLength(40);
        builder.Property(o => o.DedupeKey).HasMaxLength(200);
        builder.HasIndex(o => o.DedupeKey).IsUnique();
        builder.HasIndex(o => o.MessageId).IsUnique();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.Channel).HasMaxLength(20);
        builder.Property(o => o.Inbox).HasMaxLength(100);
        builder.Property(o => o.Language).HasMaxLength(8);
        builder.Property(o => o.AutoSubmitted).HasMaxLength(20);
        // The recovery sweep looks only at rows still to be sent.
        builder.HasIndex(o => o.NextAttemptAt).HasFilter("status IN ('Pending', 'Sending')");
        // Rate limits look up recent acknowledgements per recipient.
        builder.HasIndex(o => new { o.Recipient, o.CreatedAt });
        builder.HasOne<Complaint>().WithMany().HasForeignKey(o => o.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}
