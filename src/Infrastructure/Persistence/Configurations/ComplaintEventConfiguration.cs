using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlaWatch.Domain.Complaints;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class ComplaintEventConfiguration : IEntityTypeConfiguration<ComplaintEvent>
{
    public void Configure(EntityTypeBuilder<ComplaintEvent> builder)
    {
        builder.ToTable("complaint_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Type).HasMaxLength(60);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.HasIndex(e => new { e.ComplaintId, e.Id });
        builder.HasOne<Complaint>().WithMany().HasForeignKey(e => e.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}
