using Microsoft.EntityFrameworkCore;
using SlaWatch.Domain.Complaints;
using SlaWatch.Domain.Outbox;

namespace SlaWatch.Infrastructure.Persistence;

public sealed class SlaWatchDbContext(DbContextOptions<SlaWatchDbContext> options) : DbContext(options)
{
    public const string ReferenceSequence = "complaint_reference_seq";

    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();

    public DbSet<ImapFolderState> ImapFolderStates => Set<ImapFolderState>();

    public DbSet<Complaint> Complaints => Set<Complaint>();

    public DbSet<ComplaintEvent> ComplaintEvents => Set<ComplaintEvent>();

    public DbSet<ThreadMessageId> ThreadMessageIds => Set<ThreadMessageId>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<Erasure> Erasures => Set<Erasure>();

    public DbSet<ChannelCursor> ChannelCursors => Set<ChannelCursor>();

    public DbSet<SocialInboundMessage> SocialMessages => Set<SocialInboundMessage>();

    public DbSet<WebhookPayload> WebhookPayloads => Set<WebhookPayload>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasSequence<long>(ReferenceSequence);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SlaWatchDbContext).Assembly);
    }
}
