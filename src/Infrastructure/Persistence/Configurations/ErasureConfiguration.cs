using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SlaWatch.Infrastructure.Persistence.Configurations;

internal sealed class ErasureConfiguration : IEntityTypeConfiguration<Erasure>
{
    public void Configure(EntityTypeBuilder<Erasure> builder)
    {
        builder.ToTable("erasures");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.SubjectHash).HasMaxLength(64);
        builder.HasIndex(e => e.SubjectHash);
    }
}
