using Microsoft.EntityFrameworkCore;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> builder)
    {
        builder.ToTable("inbound_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Inbox).HasMaxLength(100);
        builder.Property(m => m.Folder).HasMaxLength(500);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        // The raw bytes never change once stored: compare them by reference, or change tracking copies and compares
        // every message's bytes on each SaveChanges (it was most of the ingestion CPU in benchmark B1).
        builder.Property(m => m.Raw).Metadata.SetValueComparer(
            new ValueComparer<byte[]>((a, b) => ReferenceEquals(a, b), v => RuntimeHelpers.GetHashCode(v), v => v));
        builder.Property(m => m.Classification).HasMaxLength(20);
        builder.HasIndex(m => new { m.Inbox, m.Folder, m.UidValidity, m.Uid }).IsUnique();
        builder.HasIndex(m => new { m.Inbox, m.MessageId });
        builder.HasIndex(m => new { m.Inbox, m.Sha256 });
        builder.HasIndex(m => m.Status).HasFilter("status IN ('Fetched', 'Quarantined')");
        builder.HasIndex(m => m.FetchedAt).HasFilter("raw_purged_at IS NULL");
    }
}
