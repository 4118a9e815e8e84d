using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlaWatch.Domain.Complaints;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("alerts");
        builder.HasKey(a => a.Id);
        // Ids from a hi-lo sequence: an alert's id is known before it is saved (its outbox rows and signed link need it),
        // so a burst of alerts is written in one SaveChanges instead of a round trip per alert (benchmark B3).
        builder.Property(a => a.Id).UseHiLo("alert_ids");
        builder.Property(a => a.Deadline).HasMaxLength(20);
        builder.Property(a => a.Stage).HasMaxLength(20);
        builder.Property(a => a.LevelName).HasMaxLength(100);
        // Once per complaint, deadline (version), level and point: the database refuses a second one.
        builder.HasIndex(a => new { a.ComplaintId, a.Deadline, a.DeadlineVersion, a.LevelIndex, a.Point }).IsUnique();
        builder.HasOne<Complaint>().WithMany().HasForeignKey(a => a.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}
