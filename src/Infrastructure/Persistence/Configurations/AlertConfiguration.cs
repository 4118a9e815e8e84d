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
        builder.Property(a => a.Deadline).HasMaxLength(20);
        builder.Property(a => a.Stage).HasMaxLength(20);
        builder.Property(a => a.LevelName).HasMaxLength(100);
        // Once per complaint, deadline (version), level and point: the database refuses a second one.
        builder.HasIndex(a => new { a.ComplaintId, a.Deadline, a.DeadlineVersion, a.LevelIndex, a.Point }).IsUnique();
        builder.HasOne<Complaint>().WithMany().HasForeignKey(a => a.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}
