using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace SlaWatch.DeadlineBenchmarks;

/// <summary>Bulk-loads open complaints with COPY (Npgsql binary import), columns as in the migrations.</summary>
public static class ComplaintLoader
{
    /// <summary>The worker's settings in B3: first response 1 h, one at-risk point 45 min after receipt.</summary>
    public static readonly TimeSpan AtRiskAfter = TimeSpan.FromMinutes(45);
    public static readonly TimeSpan FirstResponse = TimeSpan.FromHours(1);

    /// <summary>Inserts one open complaint per threshold (its at-risk alert due then); returns rows written.</summary>
    public static async Task<ulong> LoadAsync(string connectionString, IReadOnlyList<DateTimeOffset> thresholds, long firstNumber)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY complaints (reference, channel, inbox, customer_address, subject, language, received_at, detected_at, status, "
            + "customer_unreachable, call_customer, promise_version, first_response_due_at, next_alert_at) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < thresholds.Count; i++)
        {
            var n = firstNumber + i;
            var threshold = thresholds[i].ToUniversalTime();
            var received = threshold - AtRiskAfter;
            await writer.StartRowAsync();
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"SW-2026-{n:D7}"), NpgsqlDbType.Varchar);
            await writer.WriteAsync("Imap", NpgsqlDbType.Varchar);
            await writer.WriteAsync("support", NpgsqlDbType.Varchar);
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"customer{n}@customers.example.test"), NpgsqlDbType.Text);
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"Order {n} has not arrived"), NpgsqlDbType.Text);
            await writer.WriteAsync("en", NpgsqlDbType.Varchar);
            await writer.WriteAsync(received, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(received, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync("Open", NpgsqlDbType.Varchar);
            await writer.WriteAsync(false, NpgsqlDbType.Boolean);
            await writer.WriteAsync(false, NpgsqlDbType.Boolean);
            await writer.WriteAsync(0, NpgsqlDbType.Integer);
            await writer.WriteAsync(received + FirstResponse, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(threshold, NpgsqlDbType.TimestampTz);
        }

        return await writer.CompleteAsync();
    }

    /// <summary>Truncates a DateTimeOffset to PostgreSQL's microsecond precision.</summary>
    public static DateTimeOffset Micro(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
