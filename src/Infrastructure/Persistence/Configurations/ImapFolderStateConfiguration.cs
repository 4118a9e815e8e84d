using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class ImapFolderStateConfiguration : IEntityTypeConfiguration<ImapFolderState>
{
    public void Configure(EntityTypeBuilder<ImapFolderState> builder)
    {
        builder.ToTable("imap_folder_states");
        builder.HasKey(s => new { s.Inbox, s.Folder });
        builder.Property(s => s.Inbox).HasMaxLength(100);
        builder.Property(s => s.Folder).HasMaxLength(500);
    }
}
