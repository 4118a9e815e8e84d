using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SlaWatch.Infrastructure.Persistence;

/// <summary>
/// Writes the tracked changes of a batch the way PostgreSQL takes them fastest: the new rows of the given entity types
/// with one binary <c>COPY</c> per table, the changed rows of the given types with one <c>UPDATE … FROM unnest(…)</c>
/// per table, then everything else with <see cref="DbContext.SaveChangesAsync(CancellationToken)"/>. Columns, types and
/// value conversions come from the EF model, so the statements follow the schema as migrations change it.
/// </summary>
/// <remarks>
/// <para>Why: in benchmark B1 the batch's <c>SaveChanges</c> (≈500 tracked entries per 100 messages: complaints, their
/// events and thread ids, the inbound rows' new status) was the longest serial step of ingestion — EF builds one
/// statement per row with its parameters and reads back generated keys.</para>
/// <para>Rows written here are marked unchanged, except those whose key the database generated (an event's id is not
/// read back): they are detached and must not be used again in the same context. Callers use this once, at the end of
/// a unit of work, on a context inside an explicit transaction (the <c>COPY</c> and the <c>UPDATE</c> run in it; the
/// caller commits).</para>
/// </remarks>
public static class BulkChangeWriter
{
    /// <summary>
    /// Writes the context's pending changes: Added entries of <paramref name="insertTypes"/> (in that order, so a table
    /// others refer to comes first) by <c>COPY</c>, Modified entries of <paramref name="updateTypes"/> by one
    /// <c>UPDATE</c> each, then the rest through EF.
    /// </summary>
    public static async Task SaveAsync(DbContext db, IReadOnlyList<Type> insertTypes, IReadOnlyList<Type> updateTypes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(insertTypes);
        ArgumentNullException.ThrowIfNull(updateTypes);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("BulkChangeWriter needs an explicit transaction: the caller commits what it writes.");
        }

        db.ChangeTracker.DetectChanges();
        var entries = db.ChangeTracker.Entries().ToList();
        var written = new List<EntityEntry>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        foreach (var type in insertTypes)
        {
            var added = entries.Where(e => e.State == EntityState.Added && e.Metadata.ClrType == type).ToList();
            if (added.Count > 0)
            {
                await CopyAsync(connection, added, cancellationToken);
                written.AddRange(added);
            }
        }

        foreach (var type in updateTypes)
        {
            var modified = entries.Where(e => e.State == EntityState.Modified && e.Metadata.ClrType == type).ToList();
            if (modified.Count > 0)
            {
                await UpdateAsync(db, modified, cancellationToken);
                written.AddRange(modified);
            }
        }

        // The changes were detected once above and nothing has touched an entity since: SaveChanges need not scan the
        // batch's entries a second time, and is skipped when the bulk statements wrote everything.
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in written)
            {
                MarkWritten(entry);
            }

            if (entries.Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// What is written is no longer pending. A row whose key the database generated (an event) is detached: its id was
    /// not read back. The others stay tracked as unchanged — detaching them would orphan what still waits for
    /// SaveChanges and refers to them (an alert on a complaint just copied would be dropped without a word).
    /// </summary>
    private static void MarkWritten(EntityEntry entry)
    {
        if (entry.Metadata.FindPrimaryKey()!.Properties.Any(p => entry.Property(p.Name).IsTemporary))
        {
            entry.State = EntityState.Detached;
            return;
        }

        if (entry.State == EntityState.Modified)
        {
            entry.OriginalValues.SetValues(entry.CurrentValues);
        }

        entry.State = EntityState.Unchanged;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, List<EntityEntry> added, CancellationToken cancellationToken)
    {
        var entityType = added[0].Metadata;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        // A key the database generates (an identity column) still holds EF's temporary value: leave the column out.
        var columns = entityType.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && !added[0].Property(p.Name).IsTemporary)
            .Select(p => Column.Of(p, table))
            .ToList();
        if (added.Any(e => columns.Any(c => e.Property(c.Property.Name).IsTemporary)))
        {
            throw new InvalidOperationException($"{entityType.DisplayName()}: rows with and without generated keys in one batch.");
        }

        var sql = new StringBuilder("COPY ").Append(QuotedTable(table)).Append(" (")
            .AppendJoin(", ", columns.Select(c => Quote(c.Name)))
            .Append(") FROM STDIN (FORMAT BINARY)");
        await using var importer = await connection.BeginBinaryImportAsync(sql.ToString(), cancellationToken);
        foreach (var entry in added)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                var value = column.ToProvider(entry.Property(column.Property.Name).CurrentValue);
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(value, column.DataTypeName, cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task UpdateAsync(DbContext db, List<EntityEntry> modified, CancellationToken cancellationToken)
    {
        var entityType = modified[0].Metadata;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var key = entityType.FindPrimaryKey()!.Properties;
        if (key.Count != 1)
        {
            throw new InvalidOperationException($"{entityType.DisplayName()}: a bulk update needs a single-column key.");
        }

        var changed = entityType.GetProperties()
            .Where(p => !p.IsPrimaryKey() && p.GetColumnName(table) is not null && modified.Any(e => e.Property(p.Name).IsModified))
            .Select(p => Column.Of(p, table))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        if (changed.Any(c => c.Property.IsConcurrencyToken))
        {
            throw new InvalidOperationException($"{entityType.DisplayName()}: concurrency tokens are not supported by the bulk update.");
        }

        // Every changed column is written for every row: a row that did not change a column writes its current value back.
        var keyColumn = Column.Of(key[0], table);
        var columns = changed.Prepend(keyColumn).ToList();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var sql = new StringBuilder("UPDATE ").Append(QuotedTable(table)).Append(" AS t SET ")
            .AppendJoin(", ", changed.Select(c => $"{Quote(c.Name)} = u.{Quote(c.Name)}"))
            .Append(" FROM unnest(")
            .AppendJoin(", ", columns.Select((_, i) => $"@p{i}"))
            .Append(") AS u(")
            .AppendJoin(", ", columns.Select(c => Quote(c.Name)))
            .Append(") WHERE t.").Append(Quote(keyColumn.Name)).Append(" = u.").Append(Quote(keyColumn.Name));
        command.CommandText = sql.ToString();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var values = Array.CreateInstance(column.ArrayElementType, modified.Count);
            for (var row = 0; row < modified.Count; row++)
            {
                values.SetValue(column.ToProvider(modified[row].Property(column.Property.Name).CurrentValue), row);
            }

            command.Parameters.Add(new NpgsqlParameter($"p{i}", values) { DataTypeName = column.DataTypeName + "[]" });
        }

        var updated = await command.ExecuteNonQueryAsync(cancellationToken);
        if (updated != modified.Count)
        {
            throw new DbUpdateConcurrencyException(
                $"{entityType.DisplayName()}: the bulk update changed {updated} of {modified.Count} rows; some were deleted meanwhile.");
        }
    }

    private static string QuotedTable(StoreObjectIdentifier table) =>
        table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One mapped column: its name, its PostgreSQL type without facets, and the model's value conversion.</summary>
    private sealed record Column(IProperty Property, string Name, string DataTypeName, Type ArrayElementType, Func<object?, object?> ToProvider)
    {
        public static Column Of(IProperty property, StoreObjectIdentifier table)
        {
            var columnType = property.GetColumnType(table);
            var parenthesis = columnType.IndexOf('(', StringComparison.Ordinal);
            var dataTypeName = parenthesis < 0 ? columnType : columnType[..parenthesis].TrimEnd();
            var converter = property.GetTypeMapping().Converter;
            var providerType = converter?.ProviderClrType ?? property.ClrType;
            // An array of a value type must be able to hold the nulls of a nullable column.
            var elementType = providerType.IsValueType && Nullable.GetUnderlyingType(providerType) is null && property.IsNullable
                ? typeof(Nullable<>).MakeGenericType(providerType)
                : providerType;
            Func<object?, object?> toProvider = converter is null
                ? value => value
                : value => value is null ? null : converter.ConvertToProvider(value);
            return new Column(property, property.GetColumnName(table)!, dataTypeName, elementType, toProvider);
        }
    }
}
