using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SlaWatch.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running host or database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<SlaWatchDbContext>
{
    public SlaWatchDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SlaWatchDbContext>();
        PersistenceSetup.Configure(options, "Host=localhost;Database=slawatch_design");
        return new SlaWatchDbContext(options.Options);
    }
}
