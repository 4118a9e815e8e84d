using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlaWatch.Domain.Complaints;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> builder)
    {
        builder.ToTable("complaints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Reference).HasMaxLength(32);
        builder.HasIndex(c => c.Reference).IsUnique();
        builder.Property(c => c.Channel).HasMaxLength(20);
        builder.Property(c => c.Inbox).HasMaxLength(100);
        builder.Property(c => c.Language).HasMaxLength(8);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(c => new { c.Inbox, c.CustomerAddress });
        builder.HasIndex(c => c.Status);
        builder.Property(c => c.PromiseOutcome).HasMaxLength(20);
        // The deadline watcher's only query: the earliest next_alert_at. Partial, so closed complaints cost nothing.
        builder.HasIndex(c => c.NextAlertAt).HasFilter("next_alert_at IS NOT NULL");
    }
}
