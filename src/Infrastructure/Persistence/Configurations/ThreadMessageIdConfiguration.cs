using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SlaWatch.Domain.Complaints;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class ThreadMessageIdConfiguration : IEntityTypeConfiguration<ThreadMessageId>
{
    public void Configure(EntityTypeBuilder<ThreadMessageId> builder)
    {
        builder.ToTable("thread_message_ids");
        builder.HasKey(t => new { t.Inbox, t.MessageId });
        builder.Property(t => t.Inbox).HasMaxLength(100);
        builder.Property(t => t.Direction).HasMaxLength(8);
        builder.HasIndex(t => t.ComplaintId);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(t => t.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}
